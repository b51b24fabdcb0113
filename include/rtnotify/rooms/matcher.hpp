// Which filters match a document, through an index of their guard conditions.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_MATCHER_HPP
#define RTNOTIFY_ROOMS_MATCHER_HPP

#include <rtnotify/rooms/canonical.hpp>
#include <rtnotify/rooms/detail/geo_index.hpp>
#include <rtnotify/rooms/detail/regexp_index.hpp>
#include <rtnotify/rooms/document.hpp>
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

namespace rtnotify::rooms {

namespace detail {

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

/** Intervals on one field, answering "which contain x" in O(log n + answers).

    Intervals open upwards (`gte`/`gt` alone) are kept sorted by their low
    end and those open downwards by their high end: the ones containing x
    are a prefix. Bounded intervals are kept sorted by their low end, with
    the running maximum of the high ends over power-of-two blocks (an
    implicit segment tree). Keeping the open ones apart lets the tree skip
    blocks of bounded intervals that end before x. Rebuilt lazily after
    changes.
*/
class interval_index
{
public:
    void add(guard const& g, std::uint32_t slot)
    {
        item const i{g.low, g.high, slot, g.low_inclusive, g.high_inclusive, g.sufficient, g.residual.get()};
        if(g.high == std::numeric_limits<double>::infinity())
            up_.push_back(i);
        else if(g.low == -std::numeric_limits<double>::infinity())
            down_.push_back(i);
        else
            bounded_.push_back(i);
        dirty_ = true;
    }

    void remove(std::uint32_t slot)
    {
        auto const same = [&](item const& i) { return i.slot == slot; };
        std::erase_if(up_, same);
        std::erase_if(down_, same);
        std::erase_if(bounded_, same);
        dirty_ = true;
    }

    bool empty() const noexcept { return up_.empty() && down_.empty() && bounded_.empty(); }

    /// Calls `f(slot, sufficient, residual)` for every interval that contains `x`.
    template<class F>
    void stab(double x, F&& f)
    {
        if(dirty_)
            rebuild();
        for(auto const& i : up_) // low ascending, high +inf
        {
            if(i.low > x)
                break;
            if(holds(i, x))
                f(i.slot, i.sufficient, i.residual);
        }
        for(auto const& i : down_) // high descending, low -inf
        {
            if(i.high < x)
                break;
            if(holds(i, x))
                f(i.slot, i.sufficient, i.residual);
        }
        // bounded intervals [0, k) have low <= x; visit those whose high >= x
        auto const k = static_cast<std::size_t>(
            std::upper_bound(bounded_.begin(), bounded_.end(), x, [](double v, item const& i) { return v < i.low; }) -
            bounded_.begin());
        if(k != 0)
            visit(1, 0, size_, k, x, f);
    }

private:
    struct item
    {
        double low, high;
        std::uint32_t slot;
        bool low_inclusive, high_inclusive, sufficient;
        expr const* residual;
    };

    /// Whether `i` contains `x`, given low <= x <= high (only the excluded ends remain to check).
    static bool holds(item const& i, double x) noexcept
    {
        return (i.low_inclusive || x > i.low) && (i.high_inclusive || x < i.high);
    }

    void rebuild()
    {
        std::sort(up_.begin(), up_.end(), [](item const& a, item const& b) { return a.low < b.low; });
        std::sort(down_.begin(), down_.end(), [](item const& a, item const& b) { return a.high > b.high; });
        std::sort(bounded_.begin(), bounded_.end(), [](item const& a, item const& b) { return a.low < b.low; });
        size_ = std::bit_ceil(std::max<std::size_t>(bounded_.size(), 1));
        max_high_.assign(2 * size_, -std::numeric_limits<double>::infinity());
        for(std::size_t i = 0; i < bounded_.size(); ++i)
            max_high_[size_ + i] = bounded_[i].high;
        for(std::size_t i = size_ - 1; i >= 1; --i)
            max_high_[i] = std::max(max_high_[2 * i], max_high_[2 * i + 1]);
        dirty_ = false;
    }

    template<class F>
    void visit(std::size_t node, std::size_t lo, std::size_t hi, std::size_t k, double x, F& f) const
    {
        if(lo >= k || max_high_[node] < x)
            return;
        if(hi - lo == 1)
        {
            auto const& i = bounded_[lo];
            if(holds(i, x))
                f(i.slot, i.sufficient, i.residual);
            return;
        }
        auto const mid = (lo + hi) / 2;
        visit(2 * node, lo, mid, k, x, f);
        visit(2 * node + 1, mid, hi, k, x, f);
    }

    std::vector<item> up_;      ///< high is +infinity
    std::vector<item> down_;    ///< low is -infinity, high finite
    std::vector<item> bounded_; ///< both ends finite: in the tree
    std::vector<double> max_high_;
    std::size_t size_ = 1;
    bool dirty_ = false;
};

/// Asks the processor to load `p`'s cache line ahead of its use (a hint: no effect on results).
inline void prefetch(void const* p) noexcept
{
#if defined(__GNUC__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}

struct string_hash
{
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

} // namespace detail

/** Matches documents against many filters.

    Each filter is indexed under guards: conditions every document it
    matches satisfies (for an `and`, its most selective child, or a pair of
    its equalities looked up at once; for an `or`, one guard per branch). A
    guard that is exactly a term of the filter (or of a branch of a top-level
    `or`) needs no evaluation of that term: the filter matches at once, or
    after evaluating the rest of its `and`. A document looks up only the
    guards its own fields can fire: one hash lookup per scalar field, an
    interval search per numeric field, one pass of the field's combined
    `RE2::Set`s per string field, and an R-tree search per field with geo
    conditions (whose boxes only narrow the candidates). The filters found
    are then evaluated in full. Filters with no
    usable guard (a top-level negation, `{}`) are evaluated for every
    document. The cost of a document thus grows with the filters it can
    match, not with the number registered.

    `match` is not thread-safe (it reuses scratch space); use one matcher per
    thread or serialize calls.
*/
class matcher
{
public:
    /// Registers `filter` under `id` (the caller's); false if `id` is already there.
    bool add(std::uint64_t id, expr const& filter) { return add_canonical(id, canonicalize(filter)); }

    /// `add` for a filter that is already the result of `canonicalize`.
    bool add_canonical(std::uint64_t id, expr canonical)
    {
        if(slot_of_.contains(id))
            return false;
        std::uint32_t slot;
        if(!free_.empty())
        {
            slot = free_.back();
            free_.pop_back();
        }
        else
        {
            slot = static_cast<std::uint32_t>(entries_.size());
            entries_.emplace_back();
            marks_.emplace_back();
        }
        auto& en = entries_[slot];
        marks_[slot].id = id;
        en.filter = std::move(canonical);
        en.guards = detail::guards_of(en.filter, [this](detail::guard const& g) { return estimate(g); });
        for(auto const& g : en.guards)
            index(g, slot);
        slot_of_.emplace(id, slot);
        return true;
    }

    /// Removes the filter registered under `id`; false if there is none.
    bool remove(std::uint64_t id)
    {
        auto it = slot_of_.find(id);
        if(it == slot_of_.end())
            return false;
        auto const slot = it->second;
        slot_of_.erase(it);
        auto& en = entries_[slot];
        for(auto const& g : en.guards)
            unindex(g, slot);
        en = entry{};
        free_.push_back(slot);
        return true;
    }

    /// Appends to `out` the ids of the filters `doc` matches, in no particular order.
    void match(flat_document const& doc, std::vector<std::uint64_t>& out)
    {
        if(++epoch_ == 0)
        {
            for(auto& m : marks_)
                m.epoch = 0;
            epoch_ = 1;
        }
        auto consider = [&](std::uint32_t slot, bool sufficient, expr const* residual) {
            auto& seen = marks_[slot];
            if(seen.epoch == epoch_) // decided
                return;
            if(!sufficient && residual && !evaluate(*residual, doc))
                return; // this branch fails; another guard of the filter may still fire
            seen.epoch = epoch_;
            if(sufficient || residual || evaluate(entries_[slot].filter, doc))
                out.push_back(seen.id);
        };
        // The filters of a posting list lie scattered in memory: fetch a few ahead.
        auto consider_all = [&](postings const& ps) {
            constexpr std::size_t ahead = 8;
            for(std::size_t i = 0; i < ps.size(); ++i)
            {
                if(i + ahead < ps.size())
                {
                    detail::prefetch(&marks_[ps[i + ahead].slot]);
                    detail::prefetch(ps[i + ahead].residual);
                }
                consider(ps[i].slot, ps[i].sufficient, ps[i].residual);
            }
        };
        consider_all(always_);
        doc.for_each([&](std::string_view path, json::value const& v) {
            if(auto it = present_.find(path); it != present_.end())
                consider_all(it->second);
            if(!equals_.empty() && detail::equals_key(key_, path, v))
                if(auto it = equals_.find(key_); it != equals_.end())
                    consider_all(it->second);
            if(v.is_number())
                if(auto it = ranges_.find(path); it != ranges_.end())
                    it->second.stab(v.to_number<double>(), consider);
            if(v.is_string() && !regexps_.empty())
                if(auto it = regexps_.find(path); it != regexps_.end())
                    it->second.search(v.get_string(), consider);
            if(!geos_.empty() && !detail::falsy(v))
                if(auto it = geos_.find(path); it != geos_.end())
                    if(auto const p = parse_geopoint(v))
                        it->second.stab(*p, [&](std::uint32_t slot) { consider(slot, false, nullptr); });
        });
        for(auto const& [fields, n] : pair_fields_)
        {
            auto const* a = doc.find(fields.first);
            auto const* b = a ? doc.find(fields.second) : nullptr;
            if(b && pair_key(fields.first, *a, fields.second, *b))
                if(auto it = pairs_.find(key_); it != pairs_.end())
                    consider_all(it->second);
        }
    }

    /// The ids `doc` matches, ascending.
    std::vector<std::uint64_t> match(json::object const& doc)
    {
        std::vector<std::uint64_t> out;
        match(flat_document(doc), out);
        std::sort(out.begin(), out.end());
        return out;
    }

    std::size_t size() const noexcept { return slot_of_.size(); }

    bool contains(std::uint64_t id) const { return slot_of_.contains(id); }

private:
    struct entry
    {
        expr filter;
        std::vector<detail::guard> guards;
    };

    struct posting
    {
        std::uint32_t slot;
        bool sufficient;
        expr const* residual; ///< owned by the entry's guards
    };

    using postings = std::vector<posting>;

    /// The share of documents expected to fire `g`: an equality on a field
    /// with k distinct registered values fires for about 1 in k documents;
    /// a range for 1 in 4, a field's presence for 1 in 2.
    double estimate(detail::guard const& g) const
    {
        switch(g.k)
        {
        case detail::guard::kind::equals:
        {
            // an equality is assumed selective (at most 1 in 10) until the field's values say more
            auto it = distinct_.find(g.field);
            return std::min(0.1, 1.0 / double(1 + (it == distinct_.end() ? 0 : it->second)));
        }
        case detail::guard::kind::equals2:
        {
            detail::guard a{detail::guard::kind::equals, g.field, {}}, b{detail::guard::kind::equals, g.field2, {}};
            return estimate(a) * estimate(b);
        }
        case detail::guard::kind::range: return 0.25;
        case detail::guard::kind::regexp:
        case detail::guard::kind::geo: return 0.2;
        case detail::guard::kind::present: return 0.5;
        case detail::guard::kind::always: break;
        }
        return 2.0;
    }

    void index(detail::guard const& g, std::uint32_t slot)
    {
        posting const p{slot, g.sufficient, g.residual.get()};
        switch(g.k)
        {
        case detail::guard::kind::always: always_.push_back(p); break;
        case detail::guard::kind::present: present_[g.field].push_back(p); break;
        case detail::guard::kind::range: ranges_[g.field].add(g, slot); break;
        case detail::guard::kind::regexp: regexps_[g.field].add(g.re, slot, g.sufficient, g.residual.get()); break;
        case detail::guard::kind::geo: geos_[g.field].add(g.boxes, slot); break;
        case detail::guard::kind::equals:
            if(detail::equals_key(key_, g.field, g.value))
            {
                auto& list = equals_[key_];
                if(list.empty())
                    ++distinct_[g.field];
                list.push_back(p);
            }
            break;
        case detail::guard::kind::equals2:
            if(pair_key(g.field, g.value, g.field2, g.value2))
            {
                pairs_[key_].push_back(p);
                ++pair_fields_[{g.field, g.field2}];
            }
            break;
        }
    }

    /// Writes into `key_` the key of two equalities; false if a value is not a scalar.
    bool pair_key(std::string_view f1, json::value const& v1, std::string_view f2, json::value const& v2)
    {
        std::string second;
        if(!detail::equals_key(second, f2, v2) || !detail::equals_key(key_, f1, v1))
            return false;
        key_.push_back('\1');
        key_ += second;
        return true;
    }

    template<class Map>
    static bool erase_slot(Map& m, std::string_view key, std::uint32_t slot)
    {
        auto it = m.find(key);
        if(it == m.end())
            return false;
        std::erase_if(it->second, [&](posting const& p) { return p.slot == slot; });
        if(!it->second.empty())
            return false;
        m.erase(it);
        return true;
    }

    void unindex(detail::guard const& g, std::uint32_t slot)
    {
        switch(g.k)
        {
        case detail::guard::kind::always:
            std::erase_if(always_, [&](posting const& p) { return p.slot == slot; });
            break;
        case detail::guard::kind::present: erase_slot(present_, g.field, slot); break;
        case detail::guard::kind::range:
            if(auto it = ranges_.find(g.field); it != ranges_.end())
            {
                it->second.remove(slot);
                if(it->second.empty())
                    ranges_.erase(it);
            }
            break;
        case detail::guard::kind::regexp:
            if(auto it = regexps_.find(g.field); it != regexps_.end())
            {
                it->second.remove(*g.re, slot);
                if(it->second.empty())
                    regexps_.erase(it);
            }
            break;
        case detail::guard::kind::geo:
            if(auto it = geos_.find(g.field); it != geos_.end())
            {
                it->second.remove(g.boxes, slot);
                if(it->second.empty())
                    geos_.erase(it);
            }
            break;
        case detail::guard::kind::equals:
            if(detail::equals_key(key_, g.field, g.value) && erase_slot(equals_, key_, slot))
                if(auto d = distinct_.find(g.field); d != distinct_.end() && --d->second == 0)
                    distinct_.erase(d);
            break;
        case detail::guard::kind::equals2:
            if(pair_key(g.field, g.value, g.field2, g.value2))
            {
                erase_slot(pairs_, key_, slot);
                if(auto f = pair_fields_.find({g.field, g.field2}); f != pair_fields_.end() && --f->second == 0)
                    pair_fields_.erase(f);
            }
            break;
        }
    }

    template<class V>
    using by_string = std::unordered_map<std::string, V, detail::string_hash, std::equal_to<>>;

    std::vector<entry> entries_;
    std::vector<std::uint32_t> free_;
    /// Per slot, what `match` reads for every filter a document reaches, apart
    /// from the entries: the epoch of the last document that decided it, and its id.
    struct mark
    {
        std::uint32_t epoch = 0;
        std::uint64_t id = 0;
    };
    std::vector<mark> marks_;
    std::uint32_t epoch_ = 0;
    std::string key_; ///< scratch for equality keys
    std::unordered_map<std::uint64_t, std::uint32_t> slot_of_;
    postings always_;
    by_string<postings> present_;
    by_string<postings> equals_;
    by_string<std::size_t> distinct_; ///< distinct equality values per field
    by_string<detail::interval_index> ranges_;
    by_string<detail::regexp_index> regexps_;
    by_string<detail::geo_index> geos_;
    by_string<postings> pairs_;                                       ///< two equalities at once
    std::map<std::pair<std::string, std::string>, std::size_t> pair_fields_; ///< the field pairs in `pairs_`
};

} // namespace rtnotify::rooms

#endif
