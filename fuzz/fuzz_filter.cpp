// Fuzz target for the filter rooms.
// SPDX-License-Identifier: BSL-1.0
//
// The input either is a filter's JSON text (first byte even), parsed as a
// hostile subscriber would send it, or drives a generator (first byte odd)
// that builds up to 8 filters of the whole DSL and 8 documents over a small
// vocabulary of fields and values, so that they often meet. Properties:
// - parsing never crashes, and refuses with a path and a message;
// - the canonical form of a filter matches exactly the documents the filter
//   matches, its text is the one computed alongside it, and canonicalizing
//   it again changes nothing;
// - the indexed matcher returns exactly the filters that direct evaluation
//   matches, before and after some filters are removed.
#include <rtnotify/rooms/canonical.hpp>
#include <rtnotify/rooms/evaluate.hpp>
#include <rtnotify/rooms/filter.hpp>
#include <rtnotify/rooms/matcher.hpp>

#include "fuzz_support.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace json = boost::json;
namespace rooms = rtnotify::rooms;
using rtnotify_fuzz::check;
using rtnotify_fuzz::input;

namespace {

char const* const fields[] = {"a", "b", "a.b", "a.c", "tags", "loc", "items", "_id", "n"};
char const* const patterns[] = {"^a", "b$", "x|y", "[0-9]+", "(?i)A", ".", "^$", "a.*b"};
char const* const distances[] = {"1km", "500 m", "10mi", "3,5 km", "2000ft", "1000", "x", "30km", "5000km"};

/// Where geopoints gather: mostly one city, sometimes by a pole or the antimeridian.
struct anchor
{
    double lat, lon;
} const anchors[] = {{43.6, 3.9}, {43.6, 3.9}, {43.6, 3.9}, {89.95, 10}, {-89.95, -120}, {0.05, 179.95}, {-0.05, -179.95}};

json::value point(input& in)
{
    auto const a = in.pick(anchors);
    double const lat = std::clamp(a.lat + (in.byte() % 20) * 0.01 - 0.1, -90.0, 90.0);
    double const lon = std::clamp(a.lon + (in.byte() % 20) * 0.01 - 0.1, -180.0, 180.0);
    return json::array{lat, lon};
}

json::value scalar(input& in)
{
    switch(in.byte() % 9)
    {
    case 0: return in.byte() % 4;
    case 1: return 0.5 * (in.byte() % 5);
    case 2: return in.pick(fields);
    case 3: return "x";
    case 4: return in.byte() % 2 == 0;
    case 5: return nullptr;
    case 6: return -1;
    case 7: return "1";
    default: return "";
    }
}

json::value value(input& in, int depth)
{
    auto const k = in.byte() % 8;
    if(depth > 2 || k < 5)
        return scalar(in);
    if(k == 5)
    {
        json::array a;
        for(int i = in.byte() % 4; i > 0; --i)
            a.push_back(value(in, depth + 1));
        return a;
    }
    if(k == 6)
        return point(in);
    json::object o;
    for(int i = in.byte() % 3; i > 0; --i)
        o[in.pick(fields)] = value(in, depth + 1);
    return o;
}

json::value filter(input& in, int depth)
{
    std::string const f = in.pick(fields);
    auto list = [&](int n) {
        json::array a;
        for(int i = 0; i < n; ++i)
            a.push_back(filter(in, depth + 1));
        return a;
    };
    auto const k = in.byte() % (depth > 3 ? 11 : 16);
    switch(k)
    {
    case 0: return {{"equals", {{f, scalar(in)}}}};
    case 1: return {{"in", {{f, json::array{"x", in.pick(fields)}}}}};
    case 2: return {{"exists", f}};
    case 3: return {{"missing", f + "[" + (in.byte() % 2 ? "\"x\"" : "1") + "]"}};
    case 4:
    {
        json::object b;
        b[in.byte() % 2 ? "gt" : "gte"] = in.byte() % 4 - 1;
        if(in.byte() % 2)
            b[in.byte() % 2 ? "lt" : "lte"] = in.byte() % 4 + 1;
        return {{"range", {{f, b}}}};
    }
    case 5: return {{"regexp", {{f, {{"value", in.pick(patterns)}, {"flags", in.byte() % 2 ? "i" : ""}}}}}};
    case 6:
        return {{"geoBoundingBox", {{"loc", {{"top", 43.7}, {"left", 3.8}, {"bottom", 43.5 + (in.byte() % 10) * 0.01},
                                             {"right", 3.9 + (in.byte() % 10) * 0.01}}}}}};
    case 7: return {{"geoDistance", {{"loc", point(in)}, {"distance", in.pick(distances)}}}};
    case 8: return {{"geoPolygon", {{"loc", {{"points", json::array{point(in), point(in), point(in)}}}}}}};
    case 9: return {{"match", {{f, value(in, 1)}}}};
    case 10: return {{"ids", {{"values", json::array{"x", "1"}}}}};
    case 11: return {{"and", list(1 + in.byte() % 3)}};
    case 12: return {{"or", list(1 + in.byte() % 3)}};
    case 13: return {{"not", filter(in, depth + 1)}};
    case 14:
        return {{"bool", {{"must", list(1)}, {"must_not", list(1 + in.byte() % 2)}, {"should", list(1)},
                          {"should_not", list(1)}}}};
    default:
        return {{"select", {{"field", "items"}, {"index", static_cast<int>(in.byte() % 5) - 2}, {"query", filter(in, depth + 1)}}}};
    }
}

json::object document(input& in)
{
    json::object d;
    for(int i = in.byte() % 6; i > 0; --i)
        d[in.pick(fields)] = value(in, 0);
    return d;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if(size == 0)
        return 0;
    if(data[0] % 2 == 0)
    {
        boost::system::error_code ec;
        auto v = json::parse(std::string_view(reinterpret_cast<char const*>(data + 1), size - 1), ec);
        if(!ec)
            if(auto f = rooms::parse_filter(v); !f)
                check(!f.error().message.empty() && f.error().code.failed());
        return 0;
    }
    input in{data + 1, size - 1};
    std::vector<rooms::expr> filters;
    for(int i = in.byte() % 8 + 1; i > 0 && !in.empty(); --i)
        if(auto f = rooms::parse_filter(filter(in, 0)))
            filters.push_back(std::move(*f));
    std::vector<json::object> docs;
    for(int i = in.byte() % 8 + 1; i > 0; --i)
        docs.push_back(document(in));

    rooms::matcher m;
    for(std::size_t i = 0; i < filters.size(); ++i)
    {
        auto const [canonical, text] = rooms::canonicalize_with_text(filters[i]);
        check(text == rooms::canonical_text(canonical));
        check(rooms::canonical_text(rooms::canonicalize(canonical)) == text);
        for(auto const& d : docs)
            check(rooms::evaluate(canonical, d) == rooms::evaluate(filters[i], d));
        check(m.add(i, filters[i]));
    }
    auto agree = [&](std::vector<bool> const& live) {
        for(auto const& d : docs)
        {
            rooms::flat_document const flat(d);
            std::vector<std::uint64_t> got, want;
            m.match(flat, got);
            std::sort(got.begin(), got.end());
            for(std::size_t i = 0; i < filters.size(); ++i)
                if(live[i] && rooms::evaluate(filters[i], flat))
                    want.push_back(i);
            check(got == want);
        }
    };
    std::vector<bool> live(filters.size(), true);
    agree(live);
    for(std::size_t i = 0; i < filters.size(); i += 2)
    {
        check(m.remove(i));
        live[i] = false;
    }
    agree(live);
    return 0;
}
