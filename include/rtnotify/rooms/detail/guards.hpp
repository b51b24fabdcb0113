// Guards: the conditions every document a filter matches satisfies, chosen to index the filter by the cheapest.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_DETAIL_GUARDS_HPP
#define RTNOTIFY_ROOMS_DETAIL_GUARDS_HPP

#include <rtnotify/rooms/canonical.hpp>
#include <rtnotify/rooms/detail/geo_index.hpp>
#include <rtnotify/rooms/evaluate.hpp>
#include <rtnotify/rooms/filter.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rtnotify::rooms::detail {

/// A condition that every document a filter matches satisfies: the key under which the filter is indexed.
struct guard
{
    enum class kind
    {
        equals,  ///< the field strictly equals `value`
        equals2, ///< the field strictly equals `value` and `field2` strictly equals `value2`
        present, ///< the field exists
        range,   ///< the field is a number in [low, high]
        regexp,  ///< the field is a string in which `re` is found
        geo,     ///< the field is a geopoint inside one of `boxes`
        always,  ///< nothing is known: test every document
    };
    kind k = kind::always;
    std::string field;
    json::value value;
    double low = -std::numeric_limits<double>::infinity();
    double high = std::numeric_limits<double>::infinity();
    std::string field2;
    json::value value2;
    bool low_inclusive = true;
    bool high_inclusive = true;
    std::shared_ptr<re2::RE2 const> re;
    std::vector<lonlat_box> boxes;
    bool sufficient = false; ///< the filter matches whenever this guard fires: no evaluation needed
    /// When set, the filter matches if this guard fires and `residual` holds (the rest of its `and`);
    /// a false residual is not final: another guard of the filter may still fire.
    std::shared_ptr<expr const> residual;
    bool exact = false; ///< the guard fires exactly when its term holds (all kinds but `geo` and array presence)
};

/// Writes into `key` the hash key of a scalar on a field (numbers by value, so 1 and 1.0 meet); false for arrays and objects.
inline bool equals_key(std::string& key, std::string_view field, json::value const& v)
{
    key.assign(field);
    key.push_back('\0');
    switch(v.kind())
    {
    case json::kind::string: key.push_back('s'); key.append(v.get_string().data(), v.get_string().size()); break;
    case json::kind::bool_: key.push_back(v.get_bool() ? 't' : 'f'); break;
    case json::kind::null: key.push_back('z'); break;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
    {
        double d = v.to_number<double>();
        if(d == 0)
            d = 0; // -0 and 0 are equal
        char bytes[sizeof d];
        std::memcpy(bytes, &d, sizeof d);
        key.push_back('n');
        key.append(bytes, sizeof d);
        break;
    }
    default: return false;
    }
    return true;
}

/// Estimates, for a guard, the share of documents that fire it (0 to 1; `always` is 1).
using guard_estimator = std::function<double(guard const&)>;

/// The estimated share of documents that fire any guard of the set.
inline double guard_cost(std::vector<guard> const& g, guard_estimator const& estimate)
{
    double c = 0;
    for(auto const& x : g)
        c += x.k == guard::kind::always ? 2.0 : estimate(x);
    return c;
}

/** Guards of a canonical (negation normal form) expression: a document it
    matches satisfies at least one of them. An `and` takes the guards of the
    child that `estimate` finds most selective; an `or` the union of its
    children's; a negated term gives `always`, as does `everything`;
    `nothing` gives none. A guard that is a whole term of a top-level `or`
    (or the whole filter) is `sufficient`.
*/
inline std::vector<guard> guards_of(expr const& e, guard_estimator const& estimate, bool top = true)
{
    switch(e.k)
    {
    case expr::kind::negation: return {guard{}};
    case expr::kind::all_of:
    {
        std::vector<guard> best{guard{}};
        double best_cost = guard_cost(best, estimate);
        std::vector<std::size_t> used; // the children an exact best guard stands for
        auto consider = [&](std::vector<guard> g, std::vector<std::size_t> children) {
            if(auto const cost = guard_cost(g, estimate); cost < best_cost)
            {
                best = std::move(g);
                best_cost = cost;
                used = std::move(children);
            }
        };
        std::vector<std::size_t> equalities;
        for(std::size_t i = 0; i < e.children.size(); ++i)
        {
            auto const& c = e.children[i];
            auto g = guards_of(c, estimate, false);
            bool const exact = c.k == expr::kind::leaf && g.size() == 1 && g.front().exact;
            consider(std::move(g), exact ? std::vector<std::size_t>{i} : std::vector<std::size_t>{});
            if(c.k == expr::kind::leaf && std::holds_alternative<equals_term>(c.leaf))
                equalities.push_back(i);
        }
        // two equalities on different fields: one lookup of the pair
        for(std::size_t a = 0; a < equalities.size(); ++a)
            for(std::size_t b = a + 1; b < equalities.size(); ++b)
            {
                auto const* x = &std::get<equals_term>(e.children[equalities[a]].leaf);
                auto const* y = &std::get<equals_term>(e.children[equalities[b]].leaf);
                if(x->field == y->field)
                    continue;
                if(y->field < x->field)
                    std::swap(x, y);
                guard g{guard::kind::equals2, x->field, x->value};
                g.field2 = y->field;
                g.value2 = y->value;
                g.exact = true;
                consider({g}, {equalities[a], equalities[b]});
            }
        // At the top (the filter, or a branch of a top-level `or`), a guard that
        // stands exactly for some children leaves only the others to evaluate.
        if(top && !used.empty() && best.size() == 1)
        {
            expr rest;
            rest.k = expr::kind::all_of;
            for(std::size_t i = 0; i < e.children.size(); ++i)
                if(std::find(used.begin(), used.end(), i) == used.end())
                    rest.children.push_back(e.children[i]);
            if(rest.children.empty())
                best.front().sufficient = true;
            else if(rest.children.size() == 1)
                best.front().residual = std::make_shared<expr const>(std::move(rest.children.front()));
            else
                best.front().residual = std::make_shared<expr const>(std::move(rest));
        }
        return best;
    }
    case expr::kind::any_of:
    {
        std::vector<guard> all;
        for(auto const& c : e.children)
        {
            auto g = guards_of(c, estimate, top);
            if(std::any_of(g.begin(), g.end(), [](guard const& x) { return x.k == guard::kind::always; }))
                return {guard{}};
            all.insert(all.end(), g.begin(), g.end());
        }
        return all;
    }
    case expr::kind::leaf: break;
    }
    auto present = [](std::string const& f) { return std::vector<guard>{guard{guard::kind::present, f, {}}}; };
    return std::visit(
        [&](auto const& t) -> std::vector<guard> {
            using T = std::decay_t<decltype(t)>;
            if constexpr(std::is_same_v<T, everything_term>)
                return {guard{}};
            else if constexpr(std::is_same_v<T, nothing_term>)
                return {};
            else if constexpr(std::is_same_v<T, equals_term>)
            {
                guard g{guard::kind::equals, t.field, t.value};
                g.exact = true;
                g.sufficient = top;
                return {g};
            }
            else if constexpr(std::is_same_v<T, exists_term>)
            {
                guard g{guard::kind::present, t.field, {}};
                g.exact = !t.array_value;
                g.sufficient = top && g.exact;
                return {g};
            }
            else if constexpr(std::is_same_v<T, range_term>)
            {
                guard g{guard::kind::range, t.field, {}};
                if(t.gt) g.low = *t.gt, g.low_inclusive = false;
                if(t.gte) g.low = *t.gte;
                if(t.lt) g.high = *t.lt, g.high_inclusive = false;
                if(t.lte) g.high = *t.lte;
                g.exact = true;
                g.sufficient = top;
                return {g};
            }
            else if constexpr(std::is_same_v<T, regexp_term>)
            {
                guard g{guard::kind::regexp, t.field, {}};
                g.re = t.re;
                g.exact = true;
                g.sufficient = top;
                return {g};
            }
            else if constexpr(std::is_same_v<T, geo_box_term> || std::is_same_v<T, geo_distance_term> ||
                              std::is_same_v<T, geo_polygon_term>)
            {
                guard g{guard::kind::geo, t.field, {}};
                g.boxes = bounds_of(t);
                if(g.boxes.empty())
                    return {}; // the term accepts no point
                return {g};
            }
            else if constexpr(std::is_same_v<T, match_term>)
                return present(std::string(t.value.begin()->key()));
            else
                return present(t.field);
        },
        e.leaf);
}

} // namespace rtnotify::rooms::detail

#endif
