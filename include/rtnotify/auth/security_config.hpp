// The server's security configuration (users, roles, tokens, login limits) and its JSON loader.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_SECURITY_CONFIG_HPP
#define RTNOTIFY_AUTH_SECURITY_CONFIG_HPP

#include <rtnotify/auth/password.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
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

/// A role: which Kuzzle controller actions it allows, and on which indexes.
struct role
{
    /// controller (or "*") → action (or "*") → allowed; the most specific entry decides.
    std::map<std::string, std::map<std::string, bool>> kuzzle_actions;
    /// Empty: every index; else the request's index (when it names one) must be listed.
    std::vector<index_restriction> restricted_to;
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
};

/// A configuration refused: the dotted path of the offending value ("users.alice.password") and why.
struct config_error
{
    std::string path;
    std::string message;

    std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

/** A duration: a number of milliseconds, or a string `<n>ms|s|m|h|d`
    ("30s", "2h"); nothing for anything else, negative or over 10 years.
*/
inline std::optional<std::int64_t> parse_duration_ms(boost::json::value const& v)
{
    constexpr std::int64_t limit = std::int64_t(10) * 366 * 86400000;
    if(v.is_uint64())
        return v.get_uint64() <= std::uint64_t(limit) ? std::optional(std::int64_t(v.get_uint64())) : std::nullopt;
    if(v.is_int64())
        return v.get_int64() >= 0 && v.get_int64() <= limit ? std::optional(v.get_int64()) : std::nullopt;
    if(!v.is_string())
        return std::nullopt;
    std::string_view s = v.get_string();
    std::int64_t n = 0;
    std::size_t i = 0;
    for(; i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 12; ++i)
        n = n * 10 + (s[i] - '0');
    if(i == 0)
        return std::nullopt;
    constexpr std::pair<std::string_view, std::int64_t> units[] = {
        {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
    for(auto const& [unit, factor] : units)
        if(s.substr(i) == unit)
            return n <= limit / factor ? std::optional(n * factor) : std::nullopt;
    return std::nullopt;
}

namespace detail {

/// Reads one configuration object, remembering the path for errors.
class config_reader
{
public:
    std::optional<config_error> error;

    bool fail(std::string path, std::string message)
    {
        if(!error)
            error = config_error{std::move(path), std::move(message)};
        return false;
    }

    /// `v` as an object whose keys are all in `allowed`.
    boost::json::object const* object(boost::json::value const& v, std::string const& path,
                                      std::initializer_list<std::string_view> allowed)
    {
        if(!v.is_object())
            return fail(path, "expected an object"), nullptr;
        for(auto const& kv : v.get_object())
            if(allowed.size() && std::find(allowed.begin(), allowed.end(), kv.key()) == allowed.end())
            {
                std::string names;
                for(auto a : allowed)
                    names += (names.empty() ? "" : ", ") + std::string(a);
                return fail(join(path, kv.key()), "unknown setting (expected one of: " + names + ")"), nullptr;
            }
        return &v.get_object();
    }

    std::optional<std::string> string(boost::json::value const& v, std::string const& path)
    {
        if(!v.is_string())
            return fail(path, "expected a string"), std::nullopt;
        return std::string(v.get_string());
    }

    std::optional<std::vector<std::string>> strings(boost::json::value const& v, std::string const& path)
    {
        if(!v.is_array())
            return fail(path, "expected an array of strings"), std::nullopt;
        std::vector<std::string> out;
        for(std::size_t i = 0; i < v.get_array().size(); ++i)
        {
            auto s = string(v.get_array()[i], path + "[" + std::to_string(i) + "]");
            if(!s)
                return std::nullopt;
            out.push_back(std::move(*s));
        }
        return out;
    }

    std::optional<std::size_t> count(boost::json::value const& v, std::string const& path)
    {
        if(!(v.is_uint64() || (v.is_int64() && v.get_int64() >= 1)) || v.to_number<std::uint64_t>() == 0)
            return fail(path, "expected a whole number of at least 1"), std::nullopt;
        return static_cast<std::size_t>(v.to_number<std::uint64_t>());
    }

    std::optional<std::int64_t> duration(boost::json::value const& v, std::string const& path)
    {
        auto d = parse_duration_ms(v);
        if(!d || *d == 0)
            return fail(path, "expected a duration: milliseconds, or a string such as \"30s\", \"15m\", \"2h\", \"1d\""),
                   std::nullopt;
        return d;
    }

    /// `o[key]`; when it is absent, a refusal "missing" (and `why`, when given) at `path.key`, and null.
    boost::json::value const* required(boost::json::object const& o, std::string_view key, std::string const& path,
                                       std::string_view why = {})
    {
        auto const* v = o.if_contains(key);
        if(!v)
            fail(join(path, key), "missing" + std::string(why));
        return v;
    }

    /// `o[key]`, when present, read by `read` into `target`.
    template<class T, class Read>
    void optional(boost::json::object const& o, std::string_view key, std::string const& path, T& target, Read read)
    {
        if(auto const* v = o.if_contains(key))
            if(auto x = (this->*read)(*v, join(path, key)))
                target = *x;
    }

    static std::string join(std::string const& path, std::string_view key)
    {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }
};

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
    auto const* d = r.object(def, path, {"kuzzle"});
    if(!d)
        return std::nullopt;
    role ro;
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
               "visitor": {"kuzzle": {"controllers": {"auth": {"actions": {"login": true}}}}}},
     "anonymous": {"roles": ["visitor"]},
     "login": {"max_failures": 5, "window": "1m"}}
    @endcode
    Every refusal names the path of the value at fault: unknown settings,
    wrong types, a secret under 32 bytes, a password that is no libcrypt
    hash, a role a user or `anonymous` names that is not defined.
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
    auto const* top = r.object(v, "", {"tokens", "users", "roles", "anonymous", "login"});
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
    }
    if(r.error)
        return *r.error;
    return c;
}

} // namespace rtnotify::auth

#endif
