// Checks a user name and password against the security configuration, with failed attempts limited per address.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_AUTHENTICATOR_HPP
#define RTNOTIFY_AUTH_AUTHENTICATOR_HPP

#include <rtnotify/auth/login_limiter.hpp>
#include <rtnotify/auth/password.hpp>
#include <rtnotify/auth/security_config.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace rtnotify::auth {

/// What `authenticator::check` decided.
enum class password_verdict
{
    accepted,
    wrong,             ///< no such user, or another password
    too_many_failures, ///< the address failed `login.max_failures` times within `login.window`: not even checked
};

/** Checks passwords for every protocol of a server, so that failures on one
    count against the others: one instance per server, used from one thread
    (or strand) at a time.
*/
class authenticator
{
public:
    explicit authenticator(std::shared_ptr<security_config const> config)
        : config_(std::move(config)),
          limiter_(config_->login.max_failures, config_->login.window_ms, config_->login.max_addresses)
    {
    }

    /** Whether `password` is `user`'s, tried from `address` at `now_ms` (ms
        since the epoch). An unknown user costs a hash too, so timing does not
        tell which names exist.
    */
    password_verdict check(std::string_view user, std::string_view password, std::string const& address,
                           std::int64_t now_ms)
    {
        if(!limiter_.allowed(address, now_ms))
            return password_verdict::too_many_failures;
        auto const u = config_->users.find(std::string(user));
        auto const& hash = u == config_->users.end() ? decoy_hash() : u->second.password_hash;
        if(!verify_password(password, hash) || u == config_->users.end())
        {
            limiter_.failed(address, now_ms);
            return password_verdict::wrong;
        }
        limiter_.succeeded(address);
        return password_verdict::accepted;
    }

    security_config const& config() const noexcept { return *config_; }

    /// The addresses whose failures are remembered.
    std::size_t remembered_addresses() const noexcept { return limiter_.size(); }

private:
    static std::string const& decoy_hash()
    {
        static std::string const h = hash_password("rtnotify decoy").value_or("");
        return h;
    }

    std::shared_ptr<security_config const> config_;
    login_limiter limiter_;
};

} // namespace rtnotify::auth

#endif
