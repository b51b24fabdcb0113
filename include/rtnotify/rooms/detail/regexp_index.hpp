// An index of the regular-expression conditions of one field, searched with RE2 sets.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_DETAIL_REGEXP_INDEX_HPP
#define RTNOTIFY_ROOMS_DETAIL_REGEXP_INDEX_HPP

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rtnotify::rooms {

struct expr;

namespace detail {

/** The regular expressions of one field, searched in a string all at once.

    Distinct patterns are grouped in chunks of at most `chunk_size`, each
    compiled into one `RE2::Set` (unanchored), so that one pass over the
    text finds every pattern of the chunk it contains. A new pattern joins
    the newest chunk, which is recompiled lazily, at the next search. A
    pattern no filter uses any more stays in its set, its hits ignored,
    until half its chunk is such: then the chunk drops them and is
    recompiled. When a set cannot be built or its DFA runs out of memory on
    a text, that chunk's patterns are searched one by one instead: the
    answer never depends on a memory budget.
*/
class regexp_index
{
public:
    /// Patterns per `RE2::Set`: more means fewer passes per text but larger automata.
    static constexpr std::size_t chunk_size = 4096;

    /// Indexes `slot` under `re` (equal patterns with equal parse flags share one entry of a set).
    void add(std::shared_ptr<re2::RE2 const> const& re, std::uint32_t slot, bool sufficient, expr const* residual)
    {
        auto [it, added] = by_text_.try_emplace(key_of(*re));
        if(!added && it->second->items.empty())
        {
            --chunks_[it->second->chunk].unused; // back in use
            ++used_;
        }
        if(added)
        {
            ++used_;
            // a set parses all its patterns alike: join the newest chunk with the same flags and room
            int const flags = re->options().ParseFlags();
            auto c = chunks_.size();
            while(c != 0 && chunks_[c - 1].flags != flags)
                --c;
            if(c == 0 || chunks_[c - 1].patterns.size() == chunk_size)
            {
                chunks_.emplace_back();
                chunks_.back().flags = flags;
                c = chunks_.size();
            }
            auto& target = chunks_[c - 1];
            it->second = std::make_unique<pattern>();
            it->second->re = re;
            it->second->chunk = c - 1;
            target.patterns.push_back(it->second.get());
            target.dirty = true;
        }
        it->second->items.push_back({slot, sufficient, residual});
    }

    /// Removes `slot` from the pattern of `re`.
    void remove(re2::RE2 const& re, std::uint32_t slot)
    {
        auto it = by_text_.find(key_of(re));
        if(it == by_text_.end() || it->second->items.empty())
            return;
        auto& p = *it->second;
        std::erase_if(p.items, [&](item const& i) { return i.slot == slot; });
        if(!p.items.empty())
            return;
        --used_;
        auto const c = p.chunk;
        if(2 * ++chunks_[c].unused > chunks_[c].patterns.size())
            drop_unused(c);
    }

    /// True when no pattern is in use.
    bool empty() const noexcept { return used_ == 0; }

    /// Calls `f(slot, sufficient, residual)` for every pattern found in `text`.
    template<class F>
    void search(std::string_view text, F&& f)
    {
        re2::StringPiece const piece(text.data(), text.size());
        for(auto& c : chunks_)
        {
            if(c.dirty)
                compile(c);
            hits_.clear();
            re2::RE2::Set::ErrorInfo error{};
            if(c.set && (c.set->Match(piece, &hits_, &error) || error.kind == re2::RE2::Set::kNoError))
            {
                for(int h : hits_)
                    for(auto const& i : c.patterns[static_cast<std::size_t>(h)]->items)
                        f(i.slot, i.sufficient, i.residual);
                continue;
            }
            for(auto const* p : c.patterns) // no set, or its DFA ran out of memory on this text
                if(!p->items.empty() && re2::RE2::PartialMatch(piece, *p->re))
                    for(auto const& i : p->items)
                        f(i.slot, i.sufficient, i.residual);
        }
    }

    /// How many chunks have a usable set (the others are searched pattern by pattern).
    std::size_t compiled_chunks()
    {
        std::size_t n = 0;
        for(auto& c : chunks_)
        {
            if(c.dirty)
                compile(c);
            n += c.set != nullptr;
        }
        return n;
    }

private:
    struct item
    {
        std::uint32_t slot;
        bool sufficient;
        expr const* residual;
    };

    struct pattern
    {
        std::shared_ptr<re2::RE2 const> re;
        std::vector<item> items;
        std::size_t chunk = 0;
    };

    struct chunk
    {
        std::vector<pattern*> patterns; ///< in the set's order
        std::unique_ptr<re2::RE2::Set> set;
        int flags = 0;          ///< the parse flags of every pattern in the chunk
        std::size_t unused = 0; ///< patterns with no items, still in the set
        bool dirty = false;
    };

    /// Takes the patterns no filter uses out of chunk `c`, and the chunk out when it is left empty.
    void drop_unused(std::size_t c)
    {
        auto& patterns = chunks_[c].patterns;
        std::erase_if(patterns, [&](pattern* p) {
            if(!p->items.empty())
                return false;
            by_text_.erase(key_of(*p->re)); // destroys *p
            return true;
        });
        chunks_[c].unused = 0;
        chunks_[c].dirty = true;
        if(!patterns.empty())
            return;
        if(c + 1 != chunks_.size()) // the last chunk takes the empty one's place
        {
            chunks_[c] = std::move(chunks_.back());
            for(auto* moved : chunks_[c].patterns)
                moved->chunk = c;
        }
        chunks_.pop_back();
    }

    static std::string key_of(re2::RE2 const& re)
    {
        return std::to_string(re.options().ParseFlags()) + '/' + re.pattern();
    }

    /// Builds the chunk's set; leaves it empty when RE2 refuses (the chunk is then searched pattern by pattern).
    static void compile(chunk& c)
    {
        c.dirty = false;
        c.set.reset();
        if(c.patterns.empty())
            return;
        // the patterns' own options (the same parse flags for all), with room for the whole chunk
        re2::RE2::Options options = c.patterns.front()->re->options();
        options.set_max_mem(std::max<std::int64_t>(options.max_mem(), 64 << 20));
        auto set = std::make_unique<re2::RE2::Set>(options, re2::RE2::UNANCHORED);
        for(auto const* p : c.patterns)
            if(set->Add(p->re->pattern(), nullptr) < 0)
                return;
        if(set->Compile())
            c.set = std::move(set);
    }

    std::unordered_map<std::string, std::unique_ptr<pattern>> by_text_;
    std::vector<chunk> chunks_;
    std::size_t used_ = 0;  ///< patterns with items
    std::vector<int> hits_; ///< scratch for `search`
};

} // namespace detail

} // namespace rtnotify::rooms

#endif
