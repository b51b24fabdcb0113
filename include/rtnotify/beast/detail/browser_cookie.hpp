// rtnotify/beast/detail/browser_cookie.hpp: the BAYEUX_BROWSER cookie, which binds a Bayeux session to the HTTP client that started it.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_BROWSER_COOKIE_HPP
#define RTNOTIFY_BEAST_DETAIL_BROWSER_COOKIE_HPP

#include <rtnotify/detail/header_lists.hpp>
#include <rtnotify/detail/random.hpp>
#include <rtnotify/session/server.hpp>

#include <boost/beast/http/fields.hpp>

#include <string>
#include <string_view>

namespace rtnotify::beast::detail {

/// The cookie's name, as CometD names it.
inline constexpr std::string_view browser_cookie = "BAYEUX_BROWSER";

/// True when `id` could be a browser id: 1 to `session::server::max_browser_id_bytes` of `[0-9A-Za-z_-]`.
inline bool plausible_browser_id(std::string_view id) noexcept
{
    if(id.empty() || id.size() > session::server::max_browser_id_bytes)
        return false;
    for(char const c : id)
        if(!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-'))
            return false;
    return true;
}

/** The browser id in `cookie_header` (a request's `Cookie`: `a=1; BAYEUX_BROWSER=x`),
    or empty when it holds none, or none that `plausible_browser_id` accepts.
*/
inline std::string_view browser_id_in(std::string_view cookie_header) noexcept
{
    while(!cookie_header.empty())
    {
        auto const pair = rtnotify::detail::next_item(cookie_header, ';');
        if(pair.starts_with(browser_cookie) && pair.substr(browser_cookie.size()).starts_with('='))
        {
            auto const value = pair.substr(browser_cookie.size() + 1);
            return plausible_browser_id(value) ? value : std::string_view();
        }
    }
    return {};
}

/// The browser id the `Cookie` header of a request's `fields` carries, or empty (see `browser_id_in`).
inline std::string browser_id_of(boost::beast::http::fields const& fields)
{
    auto const cookie = fields[boost::beast::http::field::cookie];
    return std::string(browser_id_in(std::string_view(cookie.data(), cookie.size())));
}

/// A new browser id: 22 random characters (about 131 bits).
inline std::string new_browser_id()
{
    return rtnotify::detail::random_id(22);
}

/// The `Set-Cookie` value that gives a client browser id `id` (HttpOnly: scripts cannot read it).
inline std::string browser_cookie_for(std::string_view id)
{
    return std::string(browser_cookie) + "=" + std::string(id) + "; Path=/; HttpOnly";
}

} // namespace rtnotify::beast::detail

#endif
