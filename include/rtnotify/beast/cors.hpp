// rtnotify/beast/cors.hpp: which browser origins may call the server (CORS responses and WebSocket upgrades).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_CORS_HPP
#define RTNOTIFY_BEAST_CORS_HPP

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::beast {

/** Who may call the server from a page of another origin
    (https://fetch.spec.whatwg.org/#http-cors-protocol).

    An origin listed exactly (`https://app.example.com`) is echoed with
    `Access-Control-Allow-Credentials: true`, so its pages may send cookies.
    `*` lets any origin call without credentials: the answer is
    `Access-Control-Allow-Origin: *`, which browsers never combine with
    cookies. An empty list answers no cross-origin request (browsers then
    block the page), and refuses WebSocket upgrades that carry an `Origin`.
    A WebSocket upgrade whose `Origin` is not allowed is refused with 403.
*/
struct cors_policy
{
    /// Allowed origins, as browsers send them; `*`: any origin, without credentials.
    std::vector<std::string> origins{"*"};
    /// What a preflight allows a page to send (`Access-Control-Allow-Headers`).
    std::string allow_headers = "Content-Type, X-Id, Authorization, X-Kuzzle-Volatile";

    /// Whether `origin` is listed exactly (its pages may send credentials).
    bool lists(std::string_view origin) const
    {
        return std::find(origins.begin(), origins.end(), origin) != origins.end() && origin != "*";
    }

    /// Whether a page of `origin` may call at all.
    bool allows(std::string_view origin) const
    {
        return lists(origin) || std::find(origins.begin(), origins.end(), "*") != origins.end();
    }

    /// The `Access-Control-Allow-Origin` for a request from `origin`: the origin itself, `*`, or empty (none).
    std::string allow_origin_for(std::string_view origin) const
    {
        if(lists(origin))
            return std::string(origin);
        return allows(origin) ? "*" : "";
    }
};

} // namespace rtnotify::beast

#endif
