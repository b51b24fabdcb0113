// Kuzzle's auth controller and its checks: who a request is (its `jwt`), what they may do, tokens and logins.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_AUTH_CONTROLLER_HPP
#define RTNOTIFY_ROOMS_AUTH_CONTROLLER_HPP

#include <rtnotify/auth/jwt.hpp>
#include <rtnotify/auth/authenticator.hpp>
#include <rtnotify/auth/rights.hpp>
#include <rtnotify/auth/security_config.hpp>
#include <rtnotify/detail/random.hpp>
#include <rtnotify/rooms/api_failure.hpp>
#include <rtnotify/rooms/detail/request_args.hpp>

#include <boost/json/object.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify::rooms {

/// Who a request is: a user of the configuration, or anonymous (`kuid` "-1").
struct identity
{
    std::string kuid = "-1";
    std::vector<std::string> roles;
    std::int64_t expires_ms = 0; ///< when the token used runs out (0: no token)
    std::string token_id;        ///< the token's `jti`
};

/** Kuzzle's `auth` controller, and the authentication and authorization of
    every other request, on a `auth::security_config`.

    Actions: login (strategy `local`: `body.username`, `body.password`;
    `expiresIn`), logout, checkToken, refreshToken, getCurrentUser. Tokens
    are HS256 JWTs carrying `_id` (the user), `iat`, `exp` and `jti`; a
    logged-out token is remembered until it expires. Failed logins are
    limited per client address. Clock passed in (ms since the epoch).
*/
class auth_controller
{
public:
    explicit auth_controller(std::shared_ptr<auth::security_config const> config)
        : passwords_(std::move(config)), signer_(passwords_.config().tokens.secret)
    {
    }

    /// Whether `action` is one of this controller's.
    static bool has_action(std::string_view action) noexcept
    {
        return action == "login" || action == "logout" || action == "checkToken" || action == "refreshToken" ||
               action == "getCurrentUser";
    }

    /** Who `req` is at `now_ms`: its `jwt` checked (signature, expiry,
        logout, a user the configuration still has), or anonymous without one.
    */
    std::variant<identity, api_failure> identify(boost::json::object const& req, std::int64_t now_ms) const
    {
        auto const* jwt = req.if_contains("jwt");
        if(!jwt || jwt->is_null() || (jwt->is_string() && jwt->get_string().empty()))
            return identity{"-1", config().anonymous_roles, 0, {}};
        if(!jwt->is_string())
            return fail(401, "security.token.invalid", "Invalid token: not a string.");
        return check(jwt->get_string(), now_ms);
    }

    /// Why `who` may not run `controller:action` on `index`/`collection` (empty: none named), or nothing.
    std::optional<api_failure> authorize(identity const& who, std::string_view controller, std::string_view action,
                                         std::string_view index, std::string_view collection) const
    {
        if(controller == "auth") // logging in, and what a token says of itself, are open to everyone
            return std::nullopt;
        if(auth::allows(config(), who.roles, controller, action, index, collection))
            return std::nullopt;
        auto const what = std::string(controller) + ":" + std::string(action);
        if(who.kuid == "-1")
            return fail(401, "security.rights.unauthorized", "Unauthorized action [" + what + "] for anonymous user.");
        return fail(403, "security.rights.forbidden", "Insufficient permissions to execute " + what + ".");
    }

    /// Runs `action` of `req`, from `who`, sent from `address` (the client's; rate limits key on it).
    api_outcome handle(std::string_view action, boost::json::object const& req, identity const& who,
                       std::string const& address, std::int64_t now_ms)
    {
        if(action == "login")
            return login(req, address, now_ms);
        if(action == "checkToken")
        {
            auto b = detail::body_of(req, false);
            if(auto* f = std::get_if<api_failure>(&b))
                return std::move(*f);
            auto const* token = std::get<boost::json::object const*>(b)->if_contains("token");
            if(!token || !token->is_string())
                return fail(400, "api.assert.missing_argument", "Missing argument \"body.token\".");
            auto r = check(token->get_string(), now_ms);
            if(auto* f = std::get_if<api_failure>(&r))
                return boost::json::object{{"valid", false}, {"state", f->message}};
            auto const& id = std::get<identity>(r);
            return boost::json::object{{"valid", true}, {"expiresAt", id.expires_ms}, {"kuid", id.kuid}};
        }
        if(action == "getCurrentUser")
        {
            boost::json::array roles(who.roles.begin(), who.roles.end());
            return boost::json::object{{"_id", who.kuid},
                                       {"_source", {{"profileIds", std::move(roles)}}},
                                       {"strategies", who.kuid == "-1" ? boost::json::array() : boost::json::array{"local"}}};
        }
        if(who.kuid == "-1")
            return fail(401, "security.rights.unauthorized",
                        "Unauthorized action [auth:" + std::string(action) + "] for anonymous user.");
        if(action == "logout")
        {
            if(auto f = revoke(who, now_ms))
                return *f;
            return boost::json::object{};
        }
        if(action == "refreshToken")
        {
            auto ttl = ttl_of(req);
            if(auto* f = std::get_if<api_failure>(&ttl))
                return std::move(*f);
            if(auto f = revoke(who, now_ms))
                return *f;
            return issue(who.kuid, std::get<std::int64_t>(ttl), now_ms);
        }
        return fail(404, "api.process.action_not_found", "API action \"auth\":\"" + std::string(action) + "\" not found.");
    }

    /// Forgets the logged-out tokens that have expired by `now_ms`: the first in expiry order, so it costs what it forgets.
    void purge(std::int64_t now_ms)
    {
        while(!revoked_.empty() && revoked_.begin()->first <= now_ms)
            revoked_.erase(revoked_.begin());
    }

    /// The logged-out tokens remembered (until they expire).
    std::size_t revoked_count() const noexcept { return revoked_.size(); }

    auth::security_config const& config() const noexcept { return passwords_.config(); }

private:
    std::variant<identity, api_failure> check(std::string_view token, std::int64_t now_ms) const
    {
        auto const claims = signer_.verify(token, now_ms / 1000);
        if(!claims && claims.error().code == auth::jwt_errc::expired)
            return fail(401, "security.token.expired", "Authentication token expired.");
        if(!claims)
            return fail(401, "security.token.invalid", "Invalid token: " + claims.error().message + ".");
        auto const kuid = detail::string_of(*claims, "_id");
        auto const jti = detail::string_of(*claims, "jti");
        auto const u = config().users.find(kuid);
        if(u == config().users.end())
            return fail(401, "security.token.invalid", "Invalid token: no such user.");
        auto const* exp = claims->if_contains("exp");
        // exp is an integer that passed the expiry check; kept within what milliseconds can count
        auto const exp_ms = static_cast<std::int64_t>(exp ? std::min(exp->to_number<double>(), 9.0e15) * 1000 : 0.0);
        if(revoked_.contains({exp_ms, jti}))
            return fail(401, "security.token.invalid", "Invalid token: logged out.");
        return identity{kuid, u->second.roles, exp_ms, jti};
    }

    /// The token lifetime a request asks for (`expiresIn`: ms, or "30s", "2h"), within `max_ttl`.
    std::variant<std::int64_t, api_failure> ttl_of(boost::json::object const& req) const
    {
        auto const* e = req.if_contains("expiresIn");
        if(!e || e->is_null())
            return config().tokens.expires_in_ms;
        auto const ms = auth::parse_duration_ms(*e);
        if(!ms || *ms == 0)
            return fail(400, "api.assert.invalid_type",
                        "Invalid argument \"expiresIn\" (expected: milliseconds, or a duration such as \"2h\").");
        if(*ms > config().tokens.max_ttl_ms)
            return fail(400, "security.token.ttl_exceeded",
                        "expiresIn exceeds the longest token lifetime (" + std::to_string(config().tokens.max_ttl_ms) + " ms).");
        return *ms;
    }

    boost::json::object issue(std::string const& kuid, std::int64_t ttl_ms, std::int64_t now_ms) const
    {
        auto const exp_s = (now_ms + ttl_ms + 999) / 1000;
        auto const jwt = signer_.sign({{"_id", kuid},
                                       {"iat", now_ms / 1000},
                                       {"exp", exp_s},
                                       {"jti", rtnotify::detail::random_id(22)}});
        return {{"_id", kuid}, {"jwt", jwt}, {"expiresAt", exp_s * 1000}, {"ttl", ttl_ms}};
    }

    api_outcome login(boost::json::object const& req, std::string const& address, std::int64_t now_ms)
    {
        if(auto const s = detail::string_of(req, "strategy"); s != "local")
            return fail(400, "security.credentials.unknown_strategy",
                        "Unknown authentication strategy \"" + s + "\" (this server has \"local\").");
        auto ttl = ttl_of(req);
        if(auto* f = std::get_if<api_failure>(&ttl))
            return std::move(*f);
        auto b = detail::body_of(req, false);
        if(auto* f = std::get_if<api_failure>(&b))
            return std::move(*f);
        auto const& body = *std::get<boost::json::object const*>(b);
        auto const* username = body.if_contains("username");
        auto const* password = body.if_contains("password");
        if(!username || !username->is_string() || !password || !password->is_string())
            return fail(400, "api.assert.missing_argument", "Missing argument \"body.username\" or \"body.password\".");
        switch(passwords_.check(username->get_string(), password->get_string(), address, now_ms))
        {
        case auth::password_verdict::too_many_failures:
            return fail(429, "security.credentials.too_many_failures",
                        "Too many failed logins from this address; try again later.");
        case auth::password_verdict::wrong:
            return fail(401, "security.credentials.invalid", "Wrong username or password.");
        case auth::password_verdict::accepted:
            break;
        }
        return issue(std::string(username->get_string()), std::get<std::int64_t>(ttl), now_ms);
    }

    /// Remembers `who`'s token as logged out until it expires.
    std::optional<api_failure> revoke(identity const& who, std::int64_t now_ms)
    {
        purge(now_ms);
        if(revoked_.size() >= config().login.max_revoked)
            return fail(503, "security.token.too_many_revoked", "Too many tokens logged out and not yet expired.");
        revoked_.emplace(who.expires_ms, who.token_id);
        return std::nullopt;
    }

    auth::authenticator passwords_; ///< holds the configuration (`config()`)
    auth::jwt_hs256 signer_;
    /// Logged-out tokens, (expiry in ms, jti), soonest to expire first; a token's claims give both.
    std::set<std::pair<std::int64_t, std::string>> revoked_;
};

} // namespace rtnotify::rooms

#endif
