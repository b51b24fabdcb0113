// The server's security configuration (users, roles, tokens, login limits) and its JSON loader.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_SECURITY_CONFIG_HPP
#define RTNOTIFY_AUTH_SECURITY_CONFIG_HPP

#include <rtnotify/auth/config_reader.hpp>
#include <rtnotify/auth/password.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnotify::auth {

/// Where a role's Kuzzle rights apply: an index, and some of its collections (none listed: all).
struct index_restriction
{
    std::string index;
    std::vector<std::string> collections;
};

/// Which Bayeux channels a role may use: names and patterns (`/chat/*`, `/chat/**`, `/**`).
struct bayeux_rights
{
    std::vector<std::string> subscribe; ///< channels and patterns it may subscribe to
    std::vector<std::string> publish;   ///< channels it may publish to
};

/// A role: which Kuzzle controller actions it allows, and on which indexes; which Bayeux channels.
struct role
{
    /// controller (or "*") → action (or "*") → allowed; the most specific entry decides.
    std::map<std::string, std::map<std::string, bool>> kuzzle_actions;
    /// Empty: every index; else the request's index (when it names one) must be listed.
    std::vector<index_restriction> restricted_to;
    /// Absent: the role opens no Bayeux session (an anonymous handshake needs a role that has it).
    std::optional<bayeux_rights> bayeux;
};

/// A user: a password hash (libcrypt's: `$y$…`, `$2b$…`) and roles.
struct user
{
    std::string password_hash;
    std::vector<std::string> roles;
};

/// How tokens are signed and how long they last.
struct token_settings
{
    std::string secret;                   ///< the HS256 key, at least 32 bytes
    std::int64_t expires_in_ms = 3600000; ///< when the login names no `expiresIn`
    std::int64_t max_ttl_ms = 86400000;   ///< the longest a login may ask for
};

/// How failed logins are limited per client address.
struct login_limits
{
    std::size_t max_failures = 5;  ///< failed logins in `window_ms` before refusing (429)
    std::int64_t window_ms = 60000;
    std::size_t max_addresses = 100000; ///< addresses remembered; beyond, the oldest is forgotten
    std::size_t max_revoked = 100000;   ///< logged-out tokens remembered until they expire; beyond: the logout is refused (503)
};

/// The security configuration: who exists, what each may do, and how tokens work.
struct security_config
{
    token_settings tokens;
    std::map<std::string, user> users;
    std::map<std::string, role> roles;
    std::vector<std::string> anonymous_roles; ///< the roles of a request without a token
    login_limits login;
    /// Browser origins that may call (`https://app.example.com`, or `*`: any, without credentials); none: the server's default.
    std::optional<std::vector<std::string>> cors_origins;
};

namespace detail {

/// Whether `s` is `*` or a browser origin: `http://` or `https://`, a host, an optional port, nothing else.
inline bool is_origin(std::string_view s)
{
    if(s == "*")
        return true;
    for(std::string_view scheme : {"http://", "https://"})
        if(s.starts_with(scheme))
        {
            auto const rest = s.substr(scheme.size());
            return !rest.empty() && rest.find_first_of("/?#@ \t") == std::string_view::npos && rest.front() != ':' &&
                   rest.back() != ':';
        }
    return false;
}

/// `actions` of one controller of a role (`path` names the controller): action → allowed, into `table`.
inline void read_actions(config_reader& r, boost::json::value const& spec, std::string const& path,
                         std::map<std::string, bool>& table)
{
    auto const* so = r.object(spec, path, {"actions"});
    auto const* acts = so ? r.required(*so, "actions", path) : nullptr;
    auto const* ao = acts ? r.object(*acts, path + ".actions", {}) : nullptr;
    if(!ao)
        return;
    for(auto const& [action, allowed] : *ao)
    {
        if(!allowed.is_bool())
        {
            r.fail(path + ".actions." + std::string(action), "expected true or false");
            return;
        }
        table[std::string(action)] = allowed.get_bool();
    }
}

/// A role's `restricted_to` (`path` names it): `[{"index", "collections"}]`.
inline std::vector<index_restriction> read_restrictions(config_reader& r, boost::json::value const& v,
                                                        std::string const& path)
{
    std::vector<index_restriction> out;
    if(!v.is_array())
    {
        r.fail(path, "expected an array");
        return out;
    }
    for(std::size_t i = 0; i < v.get_array().size(); ++i)
    {
        auto const ipath = path + "[" + std::to_string(i) + "]";
        auto const* io = r.object(v.get_array()[i], ipath, {"index", "collections"});
        if(!io)
            break;
        index_restriction x;
        if(auto const* ix = r.required(*io, "index", ipath))
            if(auto s = r.string(*ix, ipath + ".index"))
                x.index = std::move(*s);
        if(auto const* cs = io->if_contains("collections"))
            if(auto l = r.strings(*cs, ipath + ".collections"))
                x.collections = std::move(*l);
        out.push_back(std::move(x));
    }
    return out;
}

/// The role `def` at `path` ("roles.writer"), or nothing when it is no object (the refusal is in `r`).
inline std::optional<role> read_role(config_reader& r, boost::json::value const& def, std::string const& path)
{
    auto const* d = r.object(def, path, {"kuzzle", "bayeux"});
    if(!d)
        return std::nullopt;
    role ro;
    if(auto const* b = d->if_contains("bayeux"))
        if(auto const* bo = r.object(*b, path + ".bayeux", {"subscribe", "publish"}))
        {
            ro.bayeux.emplace();
            r.optional(*bo, "subscribe", path + ".bayeux", ro.bayeux->subscribe, &config_reader::channels);
            r.optional(*bo, "publish", path + ".bayeux", ro.bayeux->publish, &config_reader::channels);
        }
    auto const* k = d->if_contains("kuzzle");
    auto const* ko = k ? r.object(*k, path + ".kuzzle", {"controllers", "restricted_to"}) : nullptr;
    if(!ko)
        return ro;
    if(auto const* cs = ko->if_contains("controllers"))
        if(auto const* co = r.object(*cs, path + ".kuzzle.controllers", {}))
            for(auto const& [controller, spec] : *co)
            {
                read_actions(r, spec, path + ".kuzzle.controllers." + std::string(controller),
                             ro.kuzzle_actions[std::string(controller)]);
                if(r.error)
                    break;
            }
    if(auto const* rt = ko->if_contains("restricted_to"))
        ro.restricted_to = read_restrictions(r, *rt, path + ".kuzzle.restricted_to");
    return ro;
}

} // namespace detail

/** Reads a security configuration from JSON text.

    @code
    {"tokens": {"secret": "<32 bytes or more>", "expires_in": "1h", "max_ttl": "1d"},
     "users": {"alice": {"password": "$y$j9T$…", "roles": ["writer"]}},
     "roles": {"writer": {"kuzzle": {"controllers": {"*": {"actions": {"*": true}}},
                                     "restricted_to": [{"index": "shop", "collections": ["items"]}]}},
               "visitor": {"kuzzle": {"controllers": {"auth": {"actions": {"login": true}}}},
                           "bayeux": {"subscribe": ["/news"]}}},
     "anonymous": {"roles": ["visitor"]},
     "login": {"max_failures": 5, "window": "1m"},
     "cors": {"origins": ["https://app.example.com"]}}
    @endcode
    Every refusal names the path of the value at fault: unknown settings,
    wrong types, a secret under 32 bytes, a password that is no libcrypt
    hash, a role a user or `anonymous` names that is not defined, a Bayeux
    rule that is no channel or pattern, an origin that is none.
*/
inline boost::system::result<security_config, config_error> parse_security_config(std::string_view text)
{
    boost::json::parse_options po;
    po.max_depth = 32;
    boost::system::error_code ec;
    auto const v = boost::json::parse(text, ec, {}, po);
    if(ec)
        return config_error{"", "not JSON: " + ec.message()};
    detail::config_reader r;
    security_config c;
    // "server": rtnotify-server's options, read by the program, not here
    auto const* top = r.object(v, "", {"tokens", "users", "roles", "anonymous", "login", "cors", "server"});
    if(top)
    {
        if(auto const* t = top->if_contains("tokens"); !t)
            r.fail("tokens", "missing: the token settings (at least \"secret\")");
        else if(auto const* o = r.object(*t, "tokens", {"secret", "expires_in", "max_ttl"}))
        {
            if(auto const* s = r.required(*o, "secret", "tokens"))
                if(auto secret = r.string(*s, "tokens.secret"))
                {
                    if(secret->size() < 32)
                        r.fail("tokens.secret", "too short: at least 32 bytes");
                    c.tokens.secret = std::move(*secret);
                }
            r.optional(*o, "expires_in", "tokens", c.tokens.expires_in_ms, &detail::config_reader::duration);
            r.optional(*o, "max_ttl", "tokens", c.tokens.max_ttl_ms, &detail::config_reader::duration);
            if(c.tokens.expires_in_ms > c.tokens.max_ttl_ms)
                r.fail("tokens.expires_in", "longer than tokens.max_ttl");
        }
        if(auto const* roles = top->if_contains("roles"))
            if(auto const* o = r.object(*roles, "roles", {}))
                for(auto const& [name, def] : *o)
                {
                    auto ro = detail::read_role(r, def, "roles." + std::string(name));
                    if(!ro)
                        break;
                    c.roles.emplace(std::string(name), std::move(*ro));
                }
        auto known_roles = [&](std::vector<std::string> const& names, std::string const& path) {
            for(std::size_t i = 0; i < names.size(); ++i)
                if(!c.roles.contains(names[i]))
                    r.fail(path + "[" + std::to_string(i) + "]", "no role \"" + names[i] + "\" is defined under \"roles\"");
        };
        if(auto const* users = top->if_contains("users"))
            if(auto const* o = r.object(*users, "users", {}))
                for(auto const& [name, def] : *o)
                {
                    auto const path = "users." + std::string(name);
                    if(name.empty())
                    {
                        r.fail("users", "a user name may not be empty (an empty name is anonymous)");
                        break;
                    }
                    auto const* d = r.object(def, path, {"password", "roles"});
                    if(!d)
                        break;
                    user u;
                    if(auto const* p = r.required(*d, "password", path, " (a libcrypt hash: rtnotify-server --hash-password)"))
                        if(auto h = r.string(*p, path + ".password"))
                        {
                            if(!is_password_hash(*h))
                                r.fail(path + ".password",
                                       "not a password hash libcrypt knows (\"$y$…\", \"$2b$…\"; rtnotify-server --hash-password makes one)");
                            u.password_hash = std::move(*h);
                        }
                    if(auto const* rs = d->if_contains("roles"))
                        if(auto l = r.strings(*rs, path + ".roles"))
                        {
                            known_roles(*l, path + ".roles");
                            u.roles = std::move(*l);
                        }
                    c.users.emplace(std::string(name), std::move(u));
                }
        if(auto const* a = top->if_contains("anonymous"))
            if(auto const* o = r.object(*a, "anonymous", {"roles"}))
                if(auto const* rs = o->if_contains("roles"))
                    if(auto l = r.strings(*rs, "anonymous.roles"))
                    {
                        known_roles(*l, "anonymous.roles");
                        c.anonymous_roles = std::move(*l);
                    }
        if(auto const* l = top->if_contains("login"))
            if(auto const* o = r.object(*l, "login", {"max_failures", "window", "max_addresses", "max_revoked"}))
            {
                r.optional(*o, "max_failures", "login", c.login.max_failures, &detail::config_reader::count);
                r.optional(*o, "window", "login", c.login.window_ms, &detail::config_reader::duration);
                r.optional(*o, "max_addresses", "login", c.login.max_addresses, &detail::config_reader::count);
                r.optional(*o, "max_revoked", "login", c.login.max_revoked, &detail::config_reader::count);
            }
        if(auto const* cors = top->if_contains("cors"))
            if(auto const* o = r.object(*cors, "cors", {"origins"}))
                if(auto const* os = r.required(*o, "origins", "cors"))
                    if(auto l = r.strings(*os, "cors.origins"))
                    {
                        for(std::size_t i = 0; i < l->size(); ++i)
                            if(!detail::is_origin((*l)[i]))
                                r.fail("cors.origins[" + std::to_string(i) + "]",
                                       "not an origin (scheme://host[:port], e.g. \"https://app.example.com\") nor \"*\"");
                        c.cors_origins = std::move(*l);
                    }
    }
    if(r.error)
        return *r.error;
    return c;
}

} // namespace rtnotify::auth

#endif
