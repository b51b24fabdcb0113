// An index from Bayeux channels and patterns to their subscribers.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_SUBSCRIPTION_INDEX_HPP
#define RTNOTIFY_BAYEUX_SUBSCRIPTION_INDEX_HPP

#include <rtnotify/bayeux/channel.hpp>
#include <rtnotify/detail/string_hash.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace rtnotify::bayeux {

/** Who is subscribed to which channel or pattern.

    Lookup walks the expansion of the published channel (the name and the
    `depth + 2` patterns that can match it), so it costs O(depth) hash
    lookups plus the subscribers found, whatever the number of subscriptions.

    @tparam Subscriber a hashable, ordered id (a session id, a pointer).
*/
template<class Subscriber>
class subscription_index
{
public:
    /// Subscribes `s` to a channel name or pattern; false if it already was.
    bool add(std::string_view channel, Subscriber const& s)
    {
        auto it = by_channel_.find(channel);
        if(it == by_channel_.end())
            it = by_channel_.emplace(std::string(channel), std::unordered_set<Subscriber>()).first;
        bool const added = it->second.insert(s).second;
        count_ += added;
        return added;
    }

    /// Unsubscribes `s` from a channel name or pattern; false if it was not subscribed.
    bool remove(std::string_view channel, Subscriber const& s)
    {
        auto it = by_channel_.find(channel);
        if(it == by_channel_.end() || it->second.erase(s) == 0)
            return false;
        if(it->second.empty())
            by_channel_.erase(it);
        --count_;
        return true;
    }

    /** Appends to `out` every subscriber whose subscriptions match `name`.

        Each subscriber appears once, however many of its patterns match;
        `out` is sorted.
    */
    void match(std::string_view name, std::vector<Subscriber>& out) const
    {
        auto const first = out.size();
        for_each_expansion(name, [&](std::string_view pattern) {
            if(auto it = by_channel_.find(pattern); it != by_channel_.end())
                out.insert(out.end(), it->second.begin(), it->second.end());
        });
        std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
        out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(first), out.end()), out.end());
    }

    /// The number of (channel, subscriber) pairs.
    std::size_t size() const noexcept { return count_; }

private:
    std::unordered_map<std::string, std::unordered_set<Subscriber>, rtnotify::detail::string_hash, std::equal_to<>> by_channel_;
    std::size_t count_ = 0;
};

} // namespace rtnotify::bayeux

#endif
