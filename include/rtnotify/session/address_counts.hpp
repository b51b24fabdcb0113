// What each client address holds (connections, sessions), counted so that the threads of a server group can share the count.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_ADDRESS_COUNTS_HPP
#define RTNOTIFY_SESSION_ADDRESS_COUNTS_HPP

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rtnotify::session {

/** How many of something (open connections for the transport's
    `max_connections_per_address`, sessions for the engine's
    `max_sessions_per_owner`) each client address holds. The servers of a
    group share one of each, so a limit per address holds for the whole
    group and not per thread; a lone server has its own. Taken when a
    connection opens, moves or closes and when a session starts or ends,
    never per request or delivery, so one lock serves. Its memory is one
    entry per address holding at least one.
*/
class address_counts
{
public:
    /// Counts one more for `address`, unless it already holds `limit`; whether it did.
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

    /// Counts one more for `address` whatever it holds (a connection that takes over a counted one).
    void add(std::string const& address)
    {
        std::lock_guard hold(lock_);
        ++counts_[address];
    }

    /// Counts one less for `address`.
    void remove(std::string const& address)
    {
        std::lock_guard hold(lock_);
        if(auto it = counts_.find(address); it != counts_.end() && --it->second == 0)
            counts_.erase(it);
    }

    /// What `address` holds.
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

} // namespace rtnotify::session

#endif
