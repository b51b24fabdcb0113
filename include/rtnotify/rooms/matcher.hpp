// Which filters match a document, through an index of their guard conditions.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_MATCHER_HPP
#define RTNOTIFY_ROOMS_MATCHER_HPP

#include <rtnotify/rooms/canonical.hpp>
#include <rtnotify/rooms/detail/geo_index.hpp>
#include <rtnotify/rooms/detail/guards.hpp>
#include <rtnotify/rooms/detail/interval_index.hpp>
#include <rtnotify/rooms/detail/regexp_index.hpp>
#include <rtnotify/detail/string_hash.hpp>
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

/// Asks the processor to load `p`'s cache line ahead of its use (a hint: no effect on results).
inline void prefetch(void const* p) noexcept
{
#if defined(__GNUC__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}

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
    using by_string = rtnotify::detail::string_map<V>;

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
