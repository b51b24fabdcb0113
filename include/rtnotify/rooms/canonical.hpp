//
// rtnotify: header-only C++20 library for real-time notification protocols.
//
#ifndef RTNOTIFY_ROOMS_CANONICAL_HPP
#define RTNOTIFY_ROOMS_CANONICAL_HPP

#include <rtnotify/rooms/filter.hpp>

#include <boost/json/serialize.hpp>
#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnotify::rooms {

namespace detail {

inline json::value number_or_null(std::optional<double> const& d)
{
    return d ? json::value(*d) : json::value(nullptr);
}

/// A term as JSON, with every parameter that decides what it matches (and nothing else).
inline json::value term_json(term const& t)
{
    return std::visit(
        [](auto const& x) -> json::value {
            using T = std::decay_t<decltype(x)>;
            if constexpr(std::is_same_v<T, everything_term>)
                return {{"everything", true}};
            else if constexpr(std::is_same_v<T, nothing_term>)
                return {{"nothing", true}};
            else if constexpr(std::is_same_v<T, equals_term>)
            {
                // 1 and 1.0 are the same value: numbers are written as doubles
                json::value v = x.value.is_number() ? json::value(x.value.template to_number<double>()) : x.value;
                return {{"equals", {{"field", x.field}, {"value", v}}}};
            }
            else if constexpr(std::is_same_v<T, exists_term>)
                return {{"exists", {{"field", x.field}, {"value", x.array_value ? *x.array_value : json::value()},
                                    {"array", bool(x.array_value)}}}};
            else if constexpr(std::is_same_v<T, range_term>)
                return {{"range", {{"field", x.field}, {"gt", number_or_null(x.gt)}, {"gte", number_or_null(x.gte)},
                                   {"lt", number_or_null(x.lt)}, {"lte", number_or_null(x.lte)}}}};
            else if constexpr(std::is_same_v<T, regexp_term>)
            {
                std::string flags = x.flags;
                std::sort(flags.begin(), flags.end());
                flags.erase(std::unique(flags.begin(), flags.end()), flags.end());
                return {{"regexp", {{"field", x.field}, {"value", x.pattern}, {"flags", flags}}}};
            }
            else if constexpr(std::is_same_v<T, geo_box_term>)
                return {{"geoBoundingBox",
                         {{"field", x.field}, {"top", x.top}, {"left", x.left}, {"bottom", x.bottom}, {"right", x.right}}}};
            else if constexpr(std::is_same_v<T, geo_distance_term>)
                return {{"geoDistance", {{"field", x.field}, {"lat", x.center.lat}, {"lon", x.center.lon}, {"from", x.from},
                                         {"to", x.to}}}};
            else if constexpr(std::is_same_v<T, geo_polygon_term>)
            {
                json::array pts;
                for(auto const& p : x.points)
                    pts.push_back({p.lat, p.lon});
                return {{"geoPolygon", {{"field", x.field}, {"points", std::move(pts)}}}};
            }
            else if constexpr(std::is_same_v<T, match_term>)
                return {{"match", x.value}};
            else
                return {{"select", {{"field", x.field}, {"index", x.index}, {"query", nullptr}}}};
        },
        t);
}

} // namespace detail

/// The canonical form as compact JSON text (of an already canonical expression).
inline std::string canonical_text(expr const& e);

/** The negation normal form of a filter, flattened and sorted.

    Negations are pushed down to the terms (De Morgan; `not not A` is `A`),
    nested `and`s and `or`s are merged into their parent, the children of
    each `and`/`or` are sorted by their canonical text and duplicates are
    removed, and a one-child `and`/`or` is its child. So filters that differ
    only in the order of their terms, in repeated terms or in spelling (`bool`,
    `in`, `missing`, the two `exists` syntaxes) have the same canonical form.
    The query of a `select` is canonicalized in its turn.
*/
inline expr canonicalize(expr e, bool negate = false)
{
    switch(e.k)
    {
    case expr::kind::negation: return canonicalize(std::move(e.children.front()), !negate);
    case expr::kind::leaf:
    {
        if(auto* s = std::get_if<select_term>(&e.leaf))
            s->query = std::make_shared<expr const>(canonicalize(*s->query));
        if(!negate)
            return e;
        expr n;
        n.k = expr::kind::negation;
        n.children.push_back(std::move(e));
        return n;
    }
    case expr::kind::all_of:
    case expr::kind::any_of:
    {
        auto k = e.k;
        if(negate)
            k = k == expr::kind::all_of ? expr::kind::any_of : expr::kind::all_of;
        std::vector<std::pair<std::string, expr>> kids;
        for(auto& c : e.children)
        {
            auto cc = canonicalize(std::move(c), negate);
            if(cc.k == k)
                for(auto& g : cc.children)
                    kids.emplace_back(std::string(), std::move(g));
            else
                kids.emplace_back(std::string(), std::move(cc));
        }
        for(auto& [text, c] : kids)
            text = canonical_text(c);
        std::sort(kids.begin(), kids.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
        kids.erase(std::unique(kids.begin(), kids.end(), [](auto const& a, auto const& b) { return a.first == b.first; }),
                   kids.end());
        if(kids.size() == 1)
            return std::move(kids.front().second);
        expr out;
        out.k = k;
        for(auto& kv : kids)
            out.children.push_back(std::move(kv.second));
        return out;
    }
    }
    return e;
}

namespace detail {

inline json::value canonical_json(expr const& e)
{
    switch(e.k)
    {
    case expr::kind::leaf:
    {
        auto j = term_json(e.leaf);
        if(auto const* s = std::get_if<select_term>(&e.leaf))
            j.as_object()["select"].as_object()["query"] = canonical_json(*s->query);
        return j;
    }
    case expr::kind::negation: return {{"not", canonical_json(e.children.front())}};
    case expr::kind::all_of:
    case expr::kind::any_of:
    {
        json::array a;
        for(auto const& c : e.children)
            a.push_back(canonical_json(c));
        return {{e.k == expr::kind::all_of ? "and" : "or", std::move(a)}};
    }
    }
    return nullptr;
}

} // namespace detail

inline std::string canonical_text(expr const& e)
{
    return json::serialize(detail::canonical_json(e));
}

/** The id of a room: the filter's canonical form on an index and collection.

    A name-based UUID (version 5, SHA-1) in the rtnotify namespace
    `6f1c3c1e-5b7a-4f3e-9a52-8e0d2b7c4a91`, of the text
    `<index> "/" <collection> "\n" <canonical_text>`, written as 32 lowercase
    hex digits. Stable across processes, machines and versions that keep
    this scheme.
*/
inline std::string room_id(std::string_view index, std::string_view collection, expr const& canonical)
{
    static constexpr boost::uuids::uuid ns = {{0x6f, 0x1c, 0x3c, 0x1e, 0x5b, 0x7a, 0x4f, 0x3e, 0x9a, 0x52, 0x8e, 0x0d,
                                                0x2b, 0x7c, 0x4a, 0x91}};
    std::string name;
    name.append(index).push_back('/');
    name.append(collection).push_back('\n');
    name += canonical_text(canonical);
    auto const u = boost::uuids::name_generator_sha1(ns)(name);
    std::string hex;
    static constexpr char digits[] = "0123456789abcdef";
    for(auto b : u)
    {
        hex.push_back(digits[b >> 4]);
        hex.push_back(digits[b & 15]);
    }
    return hex;
}

} // namespace rtnotify::rooms

#endif
