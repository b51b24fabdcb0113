// rtnotify/beast/cookie_jar.hpp: the cookies a client keeps from a server's replies and sends back with its requests.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_COOKIE_JAR_HPP
#define RTNOTIFY_BEAST_COOKIE_JAR_HPP

#include <rtnotify/detail/header_lists.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace rtnotify::beast {

/** The cookies of one client of one server: a Bayeux server binds a session
    to its `BAYEUX_BROWSER` cookie, a load balancer keeps a client on one
    node with its own.

    Only names and values are kept: every cookie goes back to the server it
    came from, whatever its `Path`, `Domain` or `Expires`; `Max-Age=0`
    removes one. Bounded as RFC 6265 section 6.1 asks of a client at least
    (https://www.rfc-editor.org/rfc/rfc6265#section-6.1): 50 cookies of
    4096 bytes (name and value); more, or larger, are ignored.
*/
class cookie_jar
{
public:
    static constexpr std::size_t max_cookies = 50;
    static constexpr std::size_t max_cookie_bytes = 4096;

    /// Keeps the cookie of one `Set-Cookie` header value (`name=value; attributes`).
    void take(std::string_view set_cookie)
    {
        auto attributes = set_cookie;
        auto const pair = rtnotify::detail::next_item(attributes, ';');
        auto const eq = pair.find('=');
        if(eq == std::string_view::npos || eq == 0 || pair.size() - 1 > max_cookie_bytes)
            return;
        auto const name = rtnotify::detail::trim_ows(pair.substr(0, eq));
        auto const value = rtnotify::detail::trim_ows(pair.substr(eq + 1));
        if(removes(attributes))
        {
            cookies_.erase(std::string(name));
            return;
        }
        if(auto it = cookies_.find(std::string(name)); it != cookies_.end())
            it->second = std::string(value);
        else if(cookies_.size() < max_cookies)
            cookies_.emplace(std::string(name), std::string(value));
    }

    /// The `Cookie` header to send (empty: no cookie).
    std::string header() const
    {
        std::string h;
        for(auto const& [name, value] : cookies_)
            h += (h.empty() ? "" : "; ") + name + "=" + value;
        return h;
    }

    /// The value of cookie `name`, or empty.
    std::string_view value(std::string_view name) const
    {
        auto const it = cookies_.find(std::string(name));
        return it == cookies_.end() ? std::string_view() : std::string_view(it->second);
    }

private:
    /// True when `attributes` hold `Max-Age` 0 or less (the server deletes the cookie).
    static bool removes(std::string_view attributes)
    {
        while(!attributes.empty())
        {
            auto const a = rtnotify::detail::next_item(attributes, ';');
            if(a.size() > 8 && (a.substr(0, 8) == "Max-Age=" || a.substr(0, 8) == "max-age="))
            {
                auto const seconds = a.substr(8);
                return seconds.starts_with('-') || seconds.find_first_not_of('0') == std::string_view::npos;
            }
        }
        return false;
    }

    std::map<std::string, std::string> cookies_;
};

} // namespace rtnotify::beast

#endif
