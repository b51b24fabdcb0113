// bench_bayeux: decode of a typical connect reply carrying 100 deliveries
// (bodies.hpp) next to plain boost::json::parse of the same bytes, and encode
// next to boost::json::serialize of an equivalent value.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/bayeux/decode.hpp>
#include <rtnotify/bayeux/encode.hpp>

#include "bodies.hpp"
#include "ratio_reporter.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <benchmark/benchmark.h>

namespace bx = rtnotify::bayeux;
namespace json = boost::json;

namespace {

std::string const& reply()
{
    static std::string const s = rtnotify_bench::bayeux_connect_reply();
    return s;
}

void decode(benchmark::State& state)
{
    auto const& b = reply();
    for(auto _ : state)
    {
        auto r = bx::decode(b);
        if(!r)
            state.SkipWithError("decode failed");
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.size()));
}

void baseline_decode(benchmark::State& state)
{
    auto const& b = reply();
    for(auto _ : state)
        benchmark::DoNotOptimize(json::parse(b));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * b.size()));
}

void encode(benchmark::State& state)
{
    auto const batch = bx::decode(reply()).value();
    std::string out;
    for(auto _ : state)
    {
        out.clear();
        bx::encode(out, batch);
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * reply().size()));
}

void baseline_encode(benchmark::State& state)
{
    auto const value = json::parse(reply());
    for(auto _ : state)
        benchmark::DoNotOptimize(json::serialize(value));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * reply().size()));
}

} // namespace

int main(int argc, char** argv)
{
    benchmark::RegisterBenchmark("decode/reply", decode)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("baseline_decode/reply", baseline_decode)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("encode/reply", encode)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("baseline_encode/reply", baseline_encode)->Unit(benchmark::kMicrosecond);
    return rtnotify_bench::run(argc, argv);
}
