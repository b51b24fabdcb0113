// Kuzzle's server controller: the server's time, its description and its HTTP routes.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_SERVER_CONTROLLER_HPP
#define RTNOTIFY_ROOMS_SERVER_CONTROLLER_HPP

#include <rtnotify/rooms/api_failure.hpp>
#include <rtnotify/rooms/http_routes.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <string_view>

namespace rtnotify::rooms {

/** Kuzzle's `server` controller (https://docs.kuzzle.io/core/2/api/controllers/server/):
    `now` (`{now}`, milliseconds since the epoch), `info`
    (`{serverInfo: {kuzzle: {name, node, api: {routes}}, services: {}}}`) and
    `publicApi` (`kuzzle_public_api`).
*/
struct server_controller
{
    /// Whether `action` is one of this controller's.
    static bool has_action(std::string_view action) noexcept
    {
        return action == "now" || action == "info" || action == "publicApi";
    }

    /// The answer of `action` on node `node` at `now_ms`.
    static api_outcome handle(std::string_view action, std::string_view node, std::int64_t now_ms)
    {
        if(action == "now")
            return boost::json::object{{"now", now_ms}};
        if(action == "publicApi")
            return kuzzle_public_api();
        if(action == "info")
            return boost::json::object{
                {"serverInfo",
                 {{"kuzzle", {{"name", "rtnotify"}, {"node", node}, {"api", {{"routes", kuzzle_public_api()}}}}},
                  {"services", boost::json::object()}}}};
        return fail(404, "api.process.action_not_found", "API action \"server\":\"" + std::string(action) + "\" not found.");
    }
};

} // namespace rtnotify::rooms

#endif
