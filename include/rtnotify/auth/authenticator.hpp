// Checks a user name and password against the security configuration, with failed attempts limited per address.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_AUTHENTICATOR_HPP
#define RTNOTIFY_AUTH_AUTHENTICATOR_HPP

#include <rtnotify/auth/basic_credentials.hpp>
#include <rtnotify/auth/login_limiter.hpp>
#include <rtnotify/auth/password.hpp>
#include <rtnotify/auth/security_config.hpp>

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace rtnotify::auth {

/// What `authenticator::check` decided.
enum class password_verdict
{
    accepted,
    wrong,             ///< no such user, or another password
    too_many_failures, ///< the address failed `login.max_failures` times within `login.window`: not even checked
};

/// What `authenticator::check_basic` decided, and for whom.
struct basic_verdict
{
    password_verdict verdict = password_verdict::wrong;
    std::string user; ///< when accepted
};

/** Checks passwords for the protocols of a server that share its clock, so
    that failures on one count against the others; used from one thread (or
    strand) at a time.
*/
class authenticator
{
public:
    /// Headers `check_basic` accepted are accepted again for `remember_ms`, at most `max_remembered` of them.
    explicit authenticator(std::shared_ptr<security_config const> config, std::int64_t remember_ms = 60000,
                           std::size_t max_remembered = 10000)
        : config_(std::move(config)),
          limiter_(config_->login.max_failures, config_->login.window_ms, config_->login.max_addresses),
          remember_ms_(remember_ms), max_remembered_(max_remembered)
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

    /** `check` for the credentials of an `Authorization: Basic` header value
        (malformed: wrong). A header accepted in the last `remember_ms` is
        accepted again without a hash: clients that send their credentials
        with every request (SmartREST devices) cost one hash a minute, not
        one a request. Headers are remembered by their SHA-256, never as
        text.
    */
    basic_verdict check_basic(std::string_view header, std::string const& address, std::int64_t now_ms)
    {
        auto const key = digest(header);
        if(auto it = key ? remembered_.find(*key) : remembered_.end(); it != remembered_.end())
        {
            if(now_ms < it->second.until_ms)
                return {password_verdict::accepted, it->second.user};
            remembered_.erase(it);
        }
        auto const c = parse_basic_authorization(header);
        if(!c)
        {
            if(!limiter_.allowed(address, now_ms))
                return {password_verdict::too_many_failures, {}};
            limiter_.failed(address, now_ms);
            return {password_verdict::wrong, {}};
        }
        auto const v = check(c->user, c->password, address, now_ms);
        if(v != password_verdict::accepted)
            return {v, {}};
        if(key && remembered_.size() >= max_remembered_)
            std::erase_if(remembered_, [&](auto const& kv) { return kv.second.until_ms <= now_ms; });
        if(key && remembered_.size() < max_remembered_)
            remembered_[*key] = {c->user, now_ms + remember_ms_};
        return {v, c->user};
    }

    security_config const& config() const noexcept { return *config_; }

    /// The headers `check_basic` remembers as accepted.
    std::size_t remembered_headers() const noexcept { return remembered_.size(); }

    /// The addresses whose failures are remembered.
    std::size_t remembered_addresses() const noexcept { return limiter_.size(); }

private:
    static std::string const& decoy_hash()
    {
        static std::string const h = hash_password("rtnotify decoy").value_or("");
        return h;
    }

    /// The SHA-256 of `text`; nothing if OpenSSL fails (then nothing is remembered).
    static std::optional<std::string> digest(std::string_view text)
    {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        if(!EVP_Digest(text.data(), text.size(), out, &n, EVP_sha256(), nullptr) || n == 0)
            return std::nullopt;
        return std::string(reinterpret_cast<char const*>(out), n);
    }

    struct remembered
    {
        std::string user;
        std::int64_t until_ms = 0;
    };

    std::shared_ptr<security_config const> config_;
    login_limiter limiter_;
    std::int64_t remember_ms_;
    std::size_t max_remembered_;
    std::unordered_map<std::string, remembered> remembered_; ///< SHA-256 of an accepted header → whose, until when
};

} // namespace rtnotify::auth

#endif
