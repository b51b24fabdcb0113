// The canonical form of a Koncorde filter, and its text, which identifies a room.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_CANONICAL_HPP
#define RTNOTIFY_ROOMS_CANONICAL_HPP

#include <rtnotify/rooms/filter.hpp>

#include <boost/json/serialize.hpp>
#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid.hpp>

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnotify::rooms {

/// The canonical form as compact JSON text (of an already canonical expression).
inline std::string canonical_text(expr const& e);

namespace detail {

/// `canonicalize`, also writing the canonical text of the result to `text`.
inline expr canonicalize(expr e, bool negate, std::string& text);

} // namespace detail

/** The negation normal form of a filter, flattened and sorted.

    Negations are pushed down to the terms (De Morgan; `not not A` is `A`),
    nested `and`s and `or`s are merged into their parent, the children of
    each `and`/`or` are sorted by their canonical text and duplicates are
    removed, and a one-child `and`/`or` is its child. So filters that differ
    only in the order of their terms, in repeated terms or in spelling (`bool`,
    `in`, `missing`, the two `exists` syntaxes) have the same canonical form.
    The query of a `select` is canonicalized in its turn.
*/
inline expr canonicalize(expr e)
{
    std::string text;
    return detail::canonicalize(std::move(e), false, text);
}

/// The canonical form of a filter and its text (what `canonical_text` would give), computed together.
inline std::pair<expr, std::string> canonicalize_with_text(expr e)
{
    std::string text;
    auto c = detail::canonicalize(std::move(e), false, text);
    return {std::move(c), std::move(text)};
}

namespace detail {

/// Writes canonical JSON text directly (no intermediate values): numbers in
/// their shortest round-trip form, strings escaped as JSON.
class canonical_writer
{
public:
    explicit canonical_writer(std::string& out) : out_(out) {}

    void write(expr const& e)
    {
        switch(e.k)
        {
        case expr::kind::leaf: std::visit([this](auto const& t) { term(t); }, e.leaf); return;
        case expr::kind::negation:
            out_ += "{\"not\":";
            write(e.children.front());
            out_ += '}';
            return;
        case expr::kind::all_of:
        case expr::kind::any_of:
            out_ += e.k == expr::kind::all_of ? "{\"and\":[" : "{\"or\":[";
            for(std::size_t i = 0; i < e.children.size(); ++i)
            {
                if(i)
                    out_ += ',';
                write(e.children[i]);
            }
            out_ += "]}";
            return;
        }
    }

private:
    void number(double d)
    {
        if(d == 0)
            d = 0; // -0 is 0
        char buf[32];
        auto const end = std::to_chars(buf, buf + sizeof buf, d).ptr;
        out_.append(buf, end);
    }

    void number(std::optional<double> const& d)
    {
        if(d)
            number(*d);
        else
            out_ += "null";
    }

    void string(std::string_view s) { out_ += json::serialize(json::string_view(s.data(), s.size())); }

    void value(json::value const& v)
    {
        if(v.is_number())
            number(v.to_number<double>()); // 1 and 1.0 are the same value
        else
            out_ += json::serialize(v);
    }

    void open(char const* keyword, std::string_view field)
    {
        out_ += "{\"";
        out_ += keyword;
        out_ += "\":{\"field\":";
        string(field);
    }

    void member(char const* name)
    {
        out_ += ",\"";
        out_ += name;
        out_ += "\":";
    }

    void term(everything_term const&) { out_ += "{\"everything\":true}"; }
    void term(nothing_term const&) { out_ += "{\"nothing\":true}"; }

    void term(equals_term const& t)
    {
        open("equals", t.field);
        member("value");
        value(t.value);
        out_ += "}}";
    }

    void term(exists_term const& t)
    {
        open("exists", t.field);
        member("array");
        out_ += t.array_value ? "true" : "false";
        member("value");
        if(t.array_value)
            value(*t.array_value);
        else
            out_ += "null";
        out_ += "}}";
    }

    void term(range_term const& t)
    {
        open("range", t.field);
        member("gt"), number(t.gt);
        member("gte"), number(t.gte);
        member("lt"), number(t.lt);
        member("lte"), number(t.lte);
        out_ += "}}";
    }

    void term(regexp_term const& t)
    {
        std::string flags = t.flags;
        std::sort(flags.begin(), flags.end());
        flags.erase(std::unique(flags.begin(), flags.end()), flags.end());
        open("regexp", t.field);
        member("value"), string(t.pattern);
        member("flags"), string(flags);
        out_ += "}}";
    }

    void term(geo_box_term const& t)
    {
        open("geoBoundingBox", t.field);
        member("top"), number(t.top);
        member("left"), number(t.left);
        member("bottom"), number(t.bottom);
        member("right"), number(t.right);
        out_ += "}}";
    }

    void term(geo_distance_term const& t)
    {
        open("geoDistance", t.field);
        member("lat"), number(t.center.lat);
        member("lon"), number(t.center.lon);
        member("from"), number(t.from);
        member("to"), number(t.to);
        out_ += "}}";
    }

    void term(geo_polygon_term const& t)
    {
        open("geoPolygon", t.field);
        member("points");
        out_ += '[';
        for(std::size_t i = 0; i < t.points.size(); ++i)
        {
            out_ += i ? ",[" : "[";
            number(t.points[i].lat);
            out_ += ',';
            number(t.points[i].lon);
            out_ += ']';
        }
        out_ += "]}}";
    }

    void term(match_term const& t)
    {
        out_ += "{\"match\":";
        out_ += json::serialize(t.value);
        out_ += '}';
    }

    void term(select_term const& t)
    {
        open("select", t.field);
        member("index");
        out_ += std::to_string(t.index);
        member("query");
        write(*t.query);
        out_ += "}}";
    }

    std::string& out_;
};

} // namespace detail

inline std::string canonical_text(expr const& e)
{
    std::string out;
    detail::canonical_writer(out).write(e);
    return out;
}

namespace detail {

inline expr canonicalize(expr e, bool negate, std::string& text)
{
    switch(e.k)
    {
    case expr::kind::negation: return canonicalize(std::move(e.children.front()), !negate, text);
    case expr::kind::leaf:
    {
        if(auto* s = std::get_if<select_term>(&e.leaf))
            s->query = std::make_shared<expr const>(rooms::canonicalize(*s->query));
        if(negate)
        {
            expr n;
            n.k = expr::kind::negation;
            n.children.push_back(std::move(e));
            e = std::move(n);
        }
        text.clear();
        canonical_writer(text).write(e);
        return e;
    }
    case expr::kind::all_of:
    case expr::kind::any_of:
    {
        auto k = e.k;
        if(negate)
            k = k == expr::kind::all_of ? expr::kind::any_of : expr::kind::all_of;
        std::vector<std::pair<std::string, expr>> kids;
        std::string child_text;
        for(auto& c : e.children)
        {
            auto cc = canonicalize(std::move(c), negate, child_text);
            if(cc.k == k)
                for(auto& g : cc.children)
                {
                    std::string t;
                    canonical_writer(t).write(g);
                    kids.emplace_back(std::move(t), std::move(g));
                }
            else
                kids.emplace_back(std::move(child_text), std::move(cc));
        }
        std::sort(kids.begin(), kids.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
        kids.erase(std::unique(kids.begin(), kids.end(), [](auto const& a, auto const& b) { return a.first == b.first; }),
                   kids.end());
        if(kids.size() == 1)
        {
            text = std::move(kids.front().first);
            return std::move(kids.front().second);
        }
        expr out;
        out.k = k;
        text = k == expr::kind::all_of ? "{\"and\":[" : "{\"or\":[";
        for(std::size_t i = 0; i < kids.size(); ++i)
        {
            if(i)
                text += ',';
            text += kids[i].first;
            out.children.push_back(std::move(kids[i].second));
        }
        text += "]}";
        return out;
    }
    }
    return e;
}

} // namespace detail

/** The id of a room: the filter's canonical form on an index and collection.

    A name-based UUID (version 5, SHA-1) in the rtnotify namespace
    `6f1c3c1e-5b7a-4f3e-9a52-8e0d2b7c4a91`, of the text
    `<index> "/" <collection> "\n" <canonical_text>`, written as 32 lowercase
    hex digits. Stable across processes, machines and versions that keep
    this scheme.
*/
inline std::string room_id(std::string_view index, std::string_view collection, std::string_view canonical_text);

/// The id of a room, from the canonical expression.
inline std::string room_id(std::string_view index, std::string_view collection, expr const& canonical)
{
    return room_id(index, collection, rooms::canonical_text(canonical));
}

inline std::string room_id(std::string_view index, std::string_view collection, std::string_view canonical_text)
{
    static constexpr boost::uuids::uuid ns = {{0x6f, 0x1c, 0x3c, 0x1e, 0x5b, 0x7a, 0x4f, 0x3e, 0x9a, 0x52, 0x8e, 0x0d,
                                                0x2b, 0x7c, 0x4a, 0x91}};
    std::string name;
    name.append(index).push_back('/');
    name.append(collection).push_back('\n');
    name += canonical_text;
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
