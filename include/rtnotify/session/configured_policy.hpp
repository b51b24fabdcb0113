// The Bayeux engine's security policy from the server's security configuration: who may handshake, subscribe and publish.
// Its comments name channel patterns, which contain "/*": they are written with "///".
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_CONFIGURED_POLICY_HPP
#define RTNOTIFY_SESSION_CONFIGURED_POLICY_HPP

#include <rtnotify/auth/authenticator.hpp>
#include <rtnotify/auth/basic_credentials.hpp>
#include <rtnotify/auth/security_config.hpp>
#include <rtnotify/bayeux/channel.hpp>
#include <rtnotify/bayeux/message.hpp>
#include <rtnotify/session/clock.hpp>
#include <rtnotify/session/server_options.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::session {

/// Whether a role's rule (a channel or pattern) covers what a client names (a channel, or a pattern to subscribe to).
inline bool rule_covers(std::string_view rule, std::string_view named) noexcept
{
    // `/a/*` matches the text "/a/**" but must not grant it
    return bayeux::matches(rule, named) && (!named.ends_with("/**") || rule.ends_with("/**"));
}

namespace detail {

/// The credentials of a handshake's `ext.authentication` `{user, credentials}`; `malformed` when it is there but not so.
inline std::optional<auth::basic_credentials> ext_password(bayeux::message const& m, bool& malformed)
{
    malformed = false;
    auto const* a = m.ext ? m.ext->if_contains("authentication") : nullptr;
    if(!a)
        return std::nullopt;
    auto const* o = a->if_object();
    auto const* user = o ? o->if_contains("user") : nullptr;
    auto const* password = o ? o->if_contains("credentials") : nullptr;
    if(!user || !user->is_string() || !password || !password->is_string())
    {
        malformed = true;
        return std::nullopt;
    }
    return auth::basic_credentials{std::string(user->get_string()), std::string(password->get_string())};
}

} // namespace detail

/// A `security_policy` that enforces the users and Bayeux rules of the configuration `passwords` checks against.
///
/// A handshake authenticates with `Authorization: Basic` (on the request, or
/// on the WebSocket upgrade; `authenticator::check_basic`, so a header
/// accepted a moment ago costs no hash), else with `ext.authentication:
/// {"user", "credentials"}` as CometD's clients send it. Wrong or malformed
/// credentials refuse it, as do too many failures from its address (counted
/// by `passwords` on the engine's clock: share it only with checks on the
/// same clock, as the Beast hub's SmartREST and MQTT checks are); a
/// handshake with none is anonymous, and is accepted when one of
/// `anonymous.roles` has a `bayeux` section. A session may then subscribe
/// and publish where one of its user's roles (or the anonymous roles) has a
/// rule that covers the channel: `/a/**` covers `/a/b`, `/a/*` and `/a/b/**`;
/// `/a/*` covers `/a/b` and `/a/*`, never `/a/**`. The policy shares
/// `passwords`; call it from one thread at a time.
inline security_policy configured_policy(std::shared_ptr<auth::authenticator> passwords)
{
    security_policy p;
    auto roles_of = [passwords](std::string_view principal) -> std::vector<std::string> const& {
        auto const& c = passwords->config();
        if(principal.empty())
            return c.anonymous_roles;
        auto const u = c.users.find(std::string(principal));
        static std::vector<std::string> const none;
        return u == c.users.end() ? none : u->second.roles;
    };
    p.authenticate = [passwords, roles_of](bayeux::message const& m, handshake_credentials const& from,
                                           time_point now) -> std::optional<std::string> {
        auto const ms = milliseconds_of(now);
        if(!from.authorization.empty())
        {
            auto v = passwords->check_basic(from.authorization, std::string(from.owner), ms);
            if(v.verdict != auth::password_verdict::accepted)
                return std::nullopt;
            return std::move(v.user);
        }
        bool malformed = false;
        auto const c = detail::ext_password(m, malformed);
        if(malformed)
            return std::nullopt;
        if(!c)
        {
            auto const& config = passwords->config();
            for(auto const& r : roles_of(""))
                if(auto const it = config.roles.find(r); it != config.roles.end() && it->second.bayeux)
                    return std::string();
            return std::nullopt;
        }
        if(passwords->check(c->user, c->password, std::string(from.owner), ms) != auth::password_verdict::accepted)
            return std::nullopt;
        return c->user;
    };
    auto allowed = [passwords, roles_of](std::string_view principal, std::string_view channel, bool publish) {
        auto const& config = passwords->config();
        for(auto const& r : roles_of(principal))
            if(auto const it = config.roles.find(r); it != config.roles.end() && it->second.bayeux)
                for(auto const& rule : publish ? it->second.bayeux->publish : it->second.bayeux->subscribe)
                    if(rule_covers(rule, channel))
                        return true;
        return false;
    };
    p.can_subscribe = [allowed](session_identity const& who, std::string_view channel) {
        return allowed(who.principal, channel, false);
    };
    p.can_publish = [allowed](session_identity const& who, std::string_view channel) {
        return allowed(who.principal, channel, true);
    };
    return p;
}

} // namespace rtnotify::session

#endif
