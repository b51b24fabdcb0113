// Open connections counted per client address, safe to share between the threads of a server group.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_ADDRESS_COUNTS_HPP
#define RTNOTIFY_BEAST_ADDRESS_COUNTS_HPP

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rtnotify::beast {

/** How many connections each client address holds open, for
    `max_connections_per_address`. The servers of a group share one, so the
    limit holds for the whole group and not per thread; a lone server has
    its own. Taken once per connection (accepted, handed over, closed),
    never per request or delivery, so one lock serves. Its memory is one
    entry per address with a connection open.
*/
class address_counts
{
public:
    /// Counts a connection of `address` in, unless it already holds `limit`; whether it did.
    bool try_add(std::string const& address, std::size_t limit)
    {
        std::lock_guard hold(lock_);
        auto& n = counts_[address];
        if(n >= limit)
        {
            if(n == 0)
                counts_.erase(address);
            return false;
        }
        ++n;
        return true;
    }

    /// Counts a connection of `address` in whatever it holds (one that takes over a counted one).
    void add(std::string const& address)
    {
        std::lock_guard hold(lock_);
        ++counts_[address];
    }

    /// Counts a connection of `address` out.
    void remove(std::string const& address)
    {
        std::lock_guard hold(lock_);
        if(auto it = counts_.find(address); it != counts_.end() && --it->second == 0)
            counts_.erase(it);
    }

    /// The connections `address` holds open.
    std::size_t count(std::string const& address) const
    {
        std::lock_guard hold(lock_);
        auto const it = counts_.find(address);
        return it == counts_.end() ? 0 : it->second;
    }

private:
    mutable std::mutex lock_;
    std::unordered_map<std::string, std::size_t> counts_;
};

} // namespace rtnotify::beast

#endif
