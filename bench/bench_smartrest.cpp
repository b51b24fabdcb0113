// bench_smartrest: SmartREST decode throughput on two 1 MiB bodies of bodies.hpp
// (typical rendered rows, quote-heavy rows), next to a baseline in the same
// binary: plain getline + split on ',' that ignores quoting. A tuned
// zero-copy splitter (views_split) is measured too, for reference.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/smartrest/decode.hpp>
#include <rtnotify/smartrest/encode.hpp>
#include <rtnotify/smartrest/reader.hpp>

#include "bodies.hpp"
#include "ratio_reporter.hpp"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace sr = rtnotify::smartrest;

namespace {

std::string const& body(std::string const& name)
{
    static std::string const typical = rtnotify_bench::smartrest_typical_body();
    static std::string const quoted = rtnotify_bench::smartrest_quoted_body();
    return name == "typical" ? typical : quoted;
}

// The bodies hold 12,504 and 7,788 records: more than a document may hold by default.
sr::decode_options const whole_body{.max_records = std::size_t(1) << 20};

// decode/<body>: one-shot decode of the whole body.
void decode(benchmark::State& state, std::string const& name)
{
    auto const& b = body(name);
    std::size_t records = 0;
    for(auto _ : state)
    {
        auto r = sr::decode(b, whole_body);
        if(!r)
        {
            state.SkipWithError(r.error().to_string().c_str());
            break;
        }
        records = r->size();
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.size()));
    state.counters["records"] = static_cast<double>(records);
}

// reader/<body>: the incremental reader fed 4 KiB chunks.
void reader(benchmark::State& state, std::string const& name)
{
    auto const& b = body(name);
    for(auto _ : state)
    {
        sr::reader rd(whole_body);
        for(std::size_t pos = 0; pos < b.size(); pos += 4096)
            rd.feed(std::string_view(b).substr(pos, 4096));
        if(rd.finish())
        {
            state.SkipWithError(rd.diag().to_string().c_str());
            break;
        }
        benchmark::DoNotOptimize(rd.records().size());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.size()));
}

// baseline_decode/<body>: the plain splitter: std::getline per line, then
// std::getline on ',' per field into strings (no quoting, no trimming).
void baseline_decode(benchmark::State& state, std::string const& name)
{
    auto const& b = body(name);
    for(auto _ : state)
    {
        std::istringstream in(b);
        std::string line;
        std::vector<std::vector<std::string>> records;
        while(std::getline(in, line))
        {
            std::istringstream fields_in(line);
            auto& fields = records.emplace_back();
            for(std::string field; std::getline(fields_in, field, ',');)
                fields.push_back(std::move(field));
        }
        benchmark::DoNotOptimize(records);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.size()));
}

// views_split/<body>: a tuned splitter for reference: std::getline per line,
// then string_view pieces between commas (no quoting, no trimming, no copies).
void views_split(benchmark::State& state, std::string const& name)
{
    auto const& b = body(name);
    for(auto _ : state)
    {
        std::istringstream in(b);
        std::string line;
        std::vector<std::string_view> fields;
        std::vector<std::size_t> records;
        while(std::getline(in, line))
        {
            std::string_view rest = line;
            for(auto p = rest.find(','); p != std::string_view::npos; p = rest.find(','))
            {
                fields.push_back(rest.substr(0, p));
                rest.remove_prefix(p + 1);
            }
            fields.push_back(rest);
            records.push_back(fields.size());
        }
        benchmark::DoNotOptimize(fields);
        benchmark::DoNotOptimize(records);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.size()));
}

// encode/<body>: re-encoding the decoded records.
void encode(benchmark::State& state, std::string const& name)
{
    auto const& b = body(name);
    auto const doc = sr::decode(b, whole_body).value();
    std::string out;
    for(auto _ : state)
    {
        out.clear();
        for(auto r : doc)
            sr::encode_record(out, r.fields);
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}

} // namespace

int main(int argc, char** argv)
{
    for(std::string name : {"typical", "quoted"})
    {
        benchmark::RegisterBenchmark(("decode/" + name).c_str(), decode, name)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("baseline_decode/" + name).c_str(), baseline_decode, name)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("views_split/" + name).c_str(), views_split, name)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("reader/" + name).c_str(), reader, name)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("encode/" + name).c_str(), encode, name)->Unit(benchmark::kMillisecond);
    }
    return rtnotify_bench::run(argc, argv);
}
