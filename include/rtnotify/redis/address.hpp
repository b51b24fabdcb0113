// Where a Redis server is and how to log in: `redis://` and `unix:` URLs.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_REDIS_ADDRESS_HPP
#define RTNOTIFY_REDIS_ADDRESS_HPP

#include <rtnotify/detail/percent.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace rtnotify::redis {

/// RFC 3986 `unreserved` and `sub-delims`: what a userinfo holds besides `%XX` and the colon.
constexpr bool is_url_char(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-._~!$&'()*+,;=").find(c) != std::string_view::npos;
}

/// A Redis server to connect to: TCP (`host`, `port`) or a unix socket (`unix_path`), and the login.
struct address
{
    std::string host;      ///< a name or an IP address (without brackets); empty for a unix socket
    std::uint16_t port = 6379;
    std::string unix_path; ///< the socket's path; empty for TCP
    std::string user;      ///< an ACL user (Redis 6 and later); empty: `AUTH password` alone
    std::optional<std::string> password; ///< none: no `AUTH`
    unsigned database = 0; ///< `SELECT` after connecting, unless 0

    /// The address without the password, for logs: `redis://user@host:port/db` or `unix:/path`.
    std::string display() const
    {
        if(!unix_path.empty())
            return "unix:" + unix_path;
        std::string out = "redis://";
        if(!user.empty())
            out += user + "@";
        out += host.find(':') == std::string::npos ? host : "[" + host + "]";
        out += ":" + std::to_string(port);
        if(database)
            out += "/" + std::to_string(database);
        return out;
    }
};

/** The address that `url` names, or why it names none.

    - `redis://[[user]:password@]host[:port][/database]`: `host` a name, an
      IPv4 address or an IPv6 address in brackets; `port` 6379 by default;
      user and password percent-decoded (`%40` for `@`), other characters
      of RFC 3986's `unreserved` and `sub-delims` taken as they are;
    - `unix:/path/to/redis.sock`: a unix socket, no login.

    Names are resolved when connecting, by the system's resolver, which may
    block: prefer an address.
*/
inline std::variant<address, std::string> parse_address(std::string_view url)
{
    address a;
    if(url.starts_with("unix:"))
    {
        a.unix_path = url.substr(5);
        if(a.unix_path.empty() || a.unix_path.front() != '/' || a.unix_path.back() == '/')
            return std::string("unix: needs the absolute path of a socket (unix:/run/redis/redis.sock)");
        if(std::any_of(a.unix_path.begin(), a.unix_path.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
            return std::string("a control character in the path");
        return a;
    }
    if(!url.starts_with("redis://"))
        return std::string("not a redis:// or unix: URL");
    std::string_view rest = url.substr(8);
    std::string_view const authority = rest.substr(0, rest.find('/'));
    auto const at = authority.find('@');
    std::string_view const hostport = at == std::string_view::npos ? authority : authority.substr(at + 1);
    if(at != std::string_view::npos)
    {
        auto const userinfo = authority.substr(0, at);
        if(!std::all_of(userinfo.begin(), userinfo.end(), [](char c) { return is_url_char(c) || c == '%' || c == ':'; }))
            return std::string("a character in the user or password that must be %XX-escaped");
        auto const colon = userinfo.find(':');
        if(colon == std::string_view::npos)
            return std::string("a user without a password (redis://user:password@host)");
        auto user = rtnotify::detail::percent_decoded(userinfo.substr(0, colon));
        auto password = rtnotify::detail::percent_decoded(userinfo.substr(colon + 1));
        if(!user || !password)
            return std::string("a malformed %XX escape in the user or password");
        if(std::any_of(user->begin(), user->end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
            return std::string("a control character in the user");
        a.user = std::move(*user);
        a.password = std::move(*password);
    }
    if(authority.size() < rest.size())
    {
        auto const db = rest.substr(authority.size() + 1);
        auto const [end, ec] = std::from_chars(db.data(), db.data() + db.size(), a.database);
        if(db.empty() || ec != std::errc() || end != db.data() + db.size())
            return std::string("the database after / is not a number");
    }
    std::string_view port;
    if(hostport.starts_with('['))
    {
        auto const close = hostport.find(']');
        if(close == std::string_view::npos)
            return std::string("an IPv6 address without its closing ]");
        a.host = hostport.substr(1, close - 1);
        auto const after = hostport.substr(close + 1);
        if(!after.empty() && !after.starts_with(':'))
            return std::string("something other than :port after ]");
        if(!after.empty())
            port = after.substr(1);
        if(after == ":")
            return std::string("an empty port");
    }
    else
    {
        auto const colon = hostport.find(':');
        a.host = hostport.substr(0, colon);
        if(colon != std::string_view::npos)
        {
            port = hostport.substr(colon + 1);
            if(port.empty())
                return std::string("an empty port");
        }
    }
    if(a.host.empty())
        return std::string("no host");
    bool const v6 = hostport.starts_with('[');
    if(!std::all_of(a.host.begin(), a.host.end(), [v6](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                  c == '_' || (v6 && c == ':');
       }))
        return std::string("a host that is not a name or an IP address");
    if(!port.empty())
    {
        auto const [end, ec] = std::from_chars(port.data(), port.data() + port.size(), a.port);
        if(ec != std::errc() || end != port.data() + port.size() || a.port == 0)
            return std::string("the port is not a number from 1 to 65535");
    }
    return a;
}

} // namespace rtnotify::redis

#endif
