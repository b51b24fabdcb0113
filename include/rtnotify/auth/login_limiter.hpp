// Failed logins counted per client address in a time window, in a table bounded in size.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_LOGIN_LIMITER_HPP
#define RTNOTIFY_AUTH_LOGIN_LIMITER_HPP

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rtnotify::auth {

/** Counts failed logins per address: once an address failed `max_failures`
    times within `window_ms` of its first failure, it is refused until the
    window ends. At most `max_addresses` are remembered; past that the one
    whose window started first is forgotten. Clock passed in.
*/
class login_limiter
{
public:
    login_limiter(std::size_t max_failures, std::int64_t window_ms, std::size_t max_addresses)
        : max_failures_(max_failures), window_ms_(window_ms), max_addresses_(max_addresses)
    {
    }

    /// Whether `address` may try to log in at `now_ms`.
    bool allowed(std::string const& address, std::int64_t now_ms)
    {
        auto it = by_address_.find(address);
        if(it == by_address_.end())
            return true;
        if(now_ms - it->second->since_ms >= window_ms_)
        {
            forget(it);
            return true;
        }
        return it->second->failures < max_failures_;
    }

    /// `address` failed to log in at `now_ms`.
    void failed(std::string const& address, std::int64_t now_ms)
    {
        auto it = by_address_.find(address);
        if(it != by_address_.end() && now_ms - it->second->since_ms >= window_ms_)
        {
            forget(it);
            it = by_address_.end();
        }
        if(it == by_address_.end())
        {
            if(by_address_.size() >= max_addresses_)
                forget(by_address_.find(order_.front().address));
            order_.push_back({address, now_ms, 0});
            it = by_address_.emplace(address, std::prev(order_.end())).first;
        }
        ++it->second->failures;
    }

    /// `address` logged in: its failures are forgotten.
    void succeeded(std::string const& address)
    {
        if(auto it = by_address_.find(address); it != by_address_.end())
            forget(it);
    }

    /// The addresses remembered.
    std::size_t size() const noexcept { return by_address_.size(); }

private:
    struct entry
    {
        std::string address;
        std::int64_t since_ms = 0;
        std::size_t failures = 0;
    };

    void forget(std::unordered_map<std::string, std::list<entry>::iterator>::iterator it)
    {
        order_.erase(it->second);
        by_address_.erase(it);
    }

    std::size_t max_failures_;
    std::int64_t window_ms_;
    std::size_t max_addresses_;
    std::list<entry> order_; ///< by the start of their window
    std::unordered_map<std::string, std::list<entry>::iterator> by_address_;
};

} // namespace rtnotify::auth

#endif
