// What a user's roles allow: Kuzzle controller actions, on which indexes and collections.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_RIGHTS_HPP
#define RTNOTIFY_AUTH_RIGHTS_HPP

#include <rtnotify/auth/security_config.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnotify::auth {

/** Whether `roles` of `config` allow Kuzzle's `controller:action` on `index`
    (empty: the request names none) and `collection`.

    A role allows when its most specific entry says so — `controller` and
    `action`, then `controller` and "*", then "*" and `action`, then "*"
    and "*" — and, if it is restricted to indexes, the request's index and
    collection are among them. No role that allows: refused.
*/
inline bool allows(security_config const& config, std::vector<std::string> const& roles, std::string_view controller,
                   std::string_view action, std::string_view index, std::string_view collection)
{
    for(auto const& name : roles)
    {
        auto const r = config.roles.find(name);
        if(r == config.roles.end())
            continue;
        std::optional<bool> decided;
        for(auto const& [c, a] : {std::pair{controller, action}, std::pair{controller, std::string_view("*")},
                                  std::pair{std::string_view("*"), action},
                                  std::pair{std::string_view("*"), std::string_view("*")}})
        {
            auto const ct = r->second.kuzzle_actions.find(std::string(c));
            if(ct == r->second.kuzzle_actions.end())
                continue;
            if(auto const at = ct->second.find(std::string(a)); at != ct->second.end())
            {
                decided = at->second;
                break;
            }
        }
        if(!decided.value_or(false))
            continue;
        if(r->second.restricted_to.empty() || index.empty())
            return true;
        for(auto const& x : r->second.restricted_to)
            if(x.index == index &&
               (x.collections.empty() || collection.empty() ||
                std::find(x.collections.begin(), x.collections.end(), collection) != x.collections.end()))
                return true;
    }
    return false;
}

} // namespace rtnotify::auth

#endif
