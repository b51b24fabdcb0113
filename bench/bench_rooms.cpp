// bench_rooms: the matcher on filters that are all regexps and geo
// conditions, the kinds the equality and range indexes cannot serve.
// SPDX-License-Identifier: BSL-1.0
//
// match/N matches documents against N registered filters through the
// matcher (RE2::Sets per field, an R-tree of geo boxes); its baseline,
// baseline_match/N, evaluates the N filters one by one on each document,
// which is what matching costs without those indexes. The workload is
// seeded: a third of the filters are regexps on `name` or `tag`, a third
// geo discs of 1 to 50 km around random points, the rest bounding boxes
// and triangles; documents carry a name, a tag and a location, some near
// the filters' places.
#include <rtnotify/rooms/evaluate.hpp>
#include <rtnotify/rooms/filter.hpp>
#include <rtnotify/rooms/matcher.hpp>

#include "ratio_reporter.hpp"

#include <boost/json/value.hpp>

#include <benchmark/benchmark.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

namespace json = boost::json;
namespace rooms = rtnotify::rooms;

struct workload
{
    std::vector<rooms::expr> filters;
    std::vector<json::object> docs;
};

workload make_workload(std::size_t n)
{
    std::mt19937_64 rng(20261130);
    auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    auto integer = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    char const* const words[] = {"alpha", "bravo", "delta", "echo", "kilo", "lima", "oscar", "tango"};
    workload w;
    std::vector<std::pair<double, double>> places;
    for(std::size_t i = 0; i < n; ++i)
    {
        double const lat = uniform(-60, 60), lon = uniform(-179.5, 179.5);
        json::value f;
        switch(i % 6)
        {
        case 0:
            f = {{"regexp", {{"name", "^item-" + std::to_string(integer(0, 100000)) + "\\b"}}}};
            break;
        case 1:
            f = {{"regexp",
                  {{"tag", {{"value", std::string(words[integer(0, 7)]) + "-" + std::to_string(integer(0, 5000)) + "$"},
                            {"flags", "i"}}}}}};
            break;
        case 2:
        case 3:
            f = {{"geoDistance", {{"loc", json::array{lat, lon}}, {"distance", std::to_string(integer(1, 50)) + "km"}}}};
            places.emplace_back(lat, lon);
            break;
        case 4:
            f = {{"geoBoundingBox", {{"loc", {{"top", lat + 0.2}, {"bottom", lat}, {"left", lon}, {"right", lon + 0.3}}}}}};
            places.emplace_back(lat + 0.1, lon + 0.1);
            break;
        default:
            f = {{"geoPolygon",
                  {{"loc", {{"points", json::array{json::array{lat, lon}, json::array{lat + 0.3, lon},
                                                   json::array{lat, lon + 0.3}}}}}}}};
            places.emplace_back(lat + 0.05, lon + 0.05);
            break;
        }
        w.filters.push_back(rooms::parse_filter(f).value());
    }
    for(int j = 0; j < 1000; ++j)
    {
        auto const& [lat, lon] = places[static_cast<std::size_t>(integer(0, static_cast<int>(places.size()) - 1))];
        bool const near = j % 2 == 0;
        json::object d;
        d["name"] = "item-" + std::to_string(integer(0, 100000)) + " blue";
        d["tag"] = std::string(words[integer(0, 7)]) + "-" + std::to_string(integer(0, 5000));
        d["loc"] = near ? json::array{lat + uniform(-0.05, 0.05), lon + uniform(-0.05, 0.05)}
                        : json::array{uniform(-60, 60), uniform(-180, 180)};
        w.docs.push_back(std::move(d));
    }
    return w;
}

workload const& cached(std::size_t n)
{
    static std::map<std::size_t, workload> all;
    auto it = all.find(n);
    if(it == all.end())
        it = all.emplace(n, make_workload(n)).first;
    return it->second;
}

void match(benchmark::State& state)
{
    auto const& w = cached(static_cast<std::size_t>(state.range(0)));
    rooms::matcher m;
    for(std::size_t i = 0; i < w.filters.size(); ++i)
        m.add(i, w.filters[i]);
    std::vector<rooms::flat_document> docs;
    for(auto const& d : w.docs)
        docs.emplace_back(d);
    std::vector<std::uint64_t> out;
    std::size_t k = 0, found = 0;
    for(auto _ : state)
    {
        out.clear();
        m.match(docs[k++ % docs.size()], out);
        found += out.size();
    }
    state.counters["matches_per_doc"] = double(found) / double(state.iterations());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void baseline_match(benchmark::State& state)
{
    auto const& w = cached(static_cast<std::size_t>(state.range(0)));
    std::vector<rooms::flat_document> docs;
    for(auto const& d : w.docs)
        docs.emplace_back(d);
    std::size_t k = 0, found = 0;
    for(auto _ : state)
    {
        auto const& doc = docs[k++ % docs.size()];
        for(auto const& f : w.filters)
            found += rooms::evaluate(f, doc);
    }
    state.counters["matches_per_doc"] = double(found) / double(state.iterations());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

} // namespace

BENCHMARK(match)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK(baseline_match)->Arg(1000)->Arg(10000)->Arg(100000);

int main(int argc, char** argv)
{
    return rtnotify_bench::run(argc, argv);
}
