// Evaluates one normalized Koncorde filter against one document.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_EVALUATE_HPP
#define RTNOTIFY_ROOMS_EVALUATE_HPP

#include <rtnotify/rooms/document.hpp>
#include <rtnotify/rooms/filter.hpp>
#include <rtnotify/rooms/geo.hpp>

#include <re2/re2.h>

#include <algorithm>
#include <vector>

namespace rtnotify::rooms {

namespace detail {

/// JavaScript's `===` on JSON values: numbers by value (1 and 1.0 are equal), never two arrays or objects.
inline bool strict_equal(json::value const& a, json::value const& b) noexcept
{
    if(a.is_number() && b.is_number())
        return a.to_number<double>() == b.to_number<double>();
    if(a.kind() != b.kind())
        return false;
    switch(a.kind())
    {
    case json::kind::string: return a.get_string() == b.get_string();
    case json::kind::bool_: return a.get_bool() == b.get_bool();
    case json::kind::null: return true;
    default: return false;
    }
}

/// JavaScript's `typeof` class of a value: 0 number, 1 string, 2 boolean, 3 object (null, arrays, objects).
inline int type_class(json::value const& v) noexcept
{
    if(v.is_number())
        return 0;
    if(v.is_string())
        return 1;
    if(v.is_bool())
        return 2;
    return 3;
}

/// `match`: `to` is contained in `v` (objects key by key, arrays element by distinct element, scalars by `===`).
inline bool match_any(json::value const* v, json::value const& to)
{
    if(!v || type_class(*v) != type_class(to))
        return false;
    if(type_class(to) != 3 || v->is_null() || to.is_null())
        return strict_equal(*v, to) || (v->is_null() && to.is_null());
    if(v->is_array() != to.is_array())
        return false;
    if(auto const* want = to.if_array())
    {
        auto const& have = v->get_array();
        if(have.size() < want->size())
            return false;
        std::vector<bool> used(have.size(), false);
        for(auto const& t : *want)
        {
            std::size_t k = 0;
            while(k < have.size() && (used[k] || !match_any(&have[k], t)))
                ++k;
            if(k == have.size())
                return false;
            used[k] = true;
        }
        return true;
    }
    auto const& have = v->get_object();
    for(auto const& kv : to.get_object())
        if(!match_any(have.if_contains(kv.key()), kv.value()))
            return false;
    return true;
}

/// JavaScript falsiness: false, 0, "", null (a field that counts as "no geopoint").
inline bool falsy(json::value const& v) noexcept
{
    if(v.is_null())
        return true;
    if(v.is_bool())
        return !v.get_bool();
    if(v.is_number())
        return v.to_number<double>() == 0;
    if(v.is_string())
        return v.get_string().empty();
    return false;
}

inline std::optional<geopoint> point_at(flat_document const& doc, std::string_view field)
{
    auto const* v = doc.find(field);
    if(!v || falsy(*v))
        return std::nullopt;
    return parse_geopoint(*v);
}

struct term_evaluator
{
    flat_document const& doc;

    bool operator()(everything_term const&) const { return true; }
    bool operator()(nothing_term const&) const { return false; }

    bool operator()(equals_term const& t) const
    {
        auto const* v = doc.find(t.field);
        return v && strict_equal(*v, t.value);
    }

    bool operator()(exists_term const& t) const
    {
        auto const* v = doc.find(t.field);
        if(!t.array_value)
            return v != nullptr;
        auto const* a = v ? v->if_array() : nullptr;
        return a && std::any_of(a->begin(), a->end(), [&](json::value const& e) { return strict_equal(e, *t.array_value); });
    }

    bool operator()(range_term const& t) const
    {
        auto const* v = doc.find(t.field);
        if(!v || !v->is_number())
            return false;
        double const x = v->to_number<double>();
        return (!t.gt || x > *t.gt) && (!t.gte || x >= *t.gte) && (!t.lt || x < *t.lt) && (!t.lte || x <= *t.lte);
    }

    bool operator()(regexp_term const& t) const
    {
        auto const* v = doc.find(t.field);
        if(!v || !v->is_string())
            return false;
        auto const& s = v->get_string();
        return re2::RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *t.re);
    }

    bool operator()(geo_box_term const& t) const
    {
        auto const p = point_at(doc, t.field);
        return p && p->lat <= t.top && p->lat >= t.bottom && p->lon >= t.left && p->lon <= t.right;
    }

    bool operator()(geo_distance_term const& t) const
    {
        auto const p = point_at(doc, t.field);
        if(!p)
            return false;
        auto const d = geodesic_distance(t.center, *p);
        return d >= t.from && d <= t.to;
    }

    bool operator()(geo_polygon_term const& t) const
    {
        auto const p = point_at(doc, t.field);
        return p && t.shape->covers(*p);
    }

    bool operator()(match_term const& t) const
    {
        for(auto const& kv : t.value)
            if(!match_any(doc.find(kv.key()), kv.value()))
                return false;
        return true;
    }

    bool operator()(select_term const& t) const;
};

} // namespace detail

/** Evaluates a filter on a document, directly, by its documented semantics.

    This is the reference the indexed matcher is checked against. Where
    Koncorde departs from its own documentation this follows the
    documentation: `not` is the plain negation (a `not regexp` on a
    non-string is true, a `not geo*` on an unreadable geopoint is true), and
    an array-value `exists` combines with other conditions on its path.
*/
inline bool evaluate(expr const& e, flat_document const& doc)
{
    switch(e.k)
    {
    case expr::kind::leaf: return std::visit(detail::term_evaluator{doc}, e.leaf);
    case expr::kind::all_of:
        return std::all_of(e.children.begin(), e.children.end(), [&](expr const& c) { return evaluate(c, doc); });
    case expr::kind::any_of:
        return std::any_of(e.children.begin(), e.children.end(), [&](expr const& c) { return evaluate(c, doc); });
    case expr::kind::negation: return !evaluate(e.children.front(), doc);
    }
    return false;
}

/// Evaluates a filter on a JSON document.
inline bool evaluate(expr const& e, json::object const& doc)
{
    return evaluate(e, flat_document(doc));
}

inline bool detail::term_evaluator::operator()(select_term const& t) const
{
    auto const* v = doc.find(t.field);
    auto const* a = v ? v->if_array() : nullptr;
    if(!a)
        return false;
    auto const n = static_cast<std::int64_t>(a->size());
    auto const i = t.index >= 0 ? t.index : n + t.index;
    if(i < 0 || i >= n)
        return false;
    json::object wrapper;
    wrapper.emplace("value", (*a)[static_cast<std::size_t>(i)]);
    return evaluate(*t.query, wrapper);
}

} // namespace rtnotify::rooms

#endif
