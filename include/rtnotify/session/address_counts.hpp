// What each client address holds (connections, sessions, bytes being read), counted so that the threads of a server group can share the count.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_ADDRESS_COUNTS_HPP
#define RTNOTIFY_SESSION_ADDRESS_COUNTS_HPP

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace rtnotify::session {

/** How much of something each client address holds: open connections
    (the transport's `max_connections_per_address`), sessions (the engine's
    `max_sessions_per_owner`), bytes being read (the transport's
    `max_buffered_bytes_per_address`). The servers of a group share one of
    each, so a limit per address holds for the whole group and not per
    thread; a lone server has its own. Taken when a connection opens, moves
    or closes, when a session starts or ends, and when a request body or a
    WebSocket message is read; never per delivery. Its memory is one entry
    per address holding anything.
*/
class address_counts
{
public:
    /// Counts `n` more for `address`, unless that would take it past `limit`; whether it did.
    bool try_add(std::string const& address, std::size_t limit, std::size_t n = 1)
    {
        if(n == 0)
            return true;
        std::lock_guard hold(lock_);
        auto const [it, fresh] = counts_.try_emplace(address, 0);
        if(n > limit || it->second > limit - n)
        {
            if(fresh)
                counts_.erase(it);
            return false;
        }
        it->second += n;
        return true;
    }

    /// Counts `n` more for `address` whatever it holds (a connection that takes over a counted one, bytes already read).
    void add(std::string const& address, std::size_t n = 1)
    {
        if(n == 0)
            return;
        std::lock_guard hold(lock_);
        counts_[address] += n;
    }

    /// Counts `n` less for `address` (at most what it holds).
    void remove(std::string const& address, std::size_t n = 1)
    {
        std::lock_guard hold(lock_);
        if(auto it = counts_.find(address); it != counts_.end())
        {
            if(it->second <= n)
                counts_.erase(it);
            else
                it->second -= n;
        }
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

/// `shared` when there is one (a group's), else a count of one's own.
inline std::shared_ptr<address_counts> shared_or_own(std::shared_ptr<address_counts> shared)
{
    return shared ? std::move(shared) : std::make_shared<address_counts>();
}

} // namespace rtnotify::session

#endif
