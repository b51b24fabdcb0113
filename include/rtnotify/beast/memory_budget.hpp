// The most memory a beast::server keeps with given options, whatever its peers send: the sum of its bounds.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_MEMORY_BUDGET_HPP
#define RTNOTIFY_BEAST_MEMORY_BUDGET_HPP

#include <rtnotify/beast/detail/saturating.hpp>
#include <rtnotify/beast/server_options.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace rtnotify::beast {

/// One term of `memory_budget`: what it bounds, and its bytes.
struct memory_term
{
    std::string what;
    std::size_t bytes = 0;
};

/** The terms of `memory_budget(o)`, each a quantity the server bounds times
    what one unit of it was measured to cost in rtnotify-server (glibc,
    x86-64), rounded up: docs/server.md lists them with their measurements.
*/
inline std::vector<memory_term> memory_budget_terms(server_options const& o)
{
    using detail::saturating_product;
    using detail::saturating_sum;
    constexpr std::size_t kib = 1024;
    std::vector<memory_term> terms{
        {"the process at rest", 16 * kib * kib},
        {"open connections: max_connections x (32 KiB + max_header_bytes)",
         saturating_product(o.max_connections, saturating_sum({32 * kib, o.max_header_bytes}))},
        {"what connections buffer: 2 x max_buffered_bytes", saturating_product(2, o.max_buffered_bytes)},
        {"the request being processed: 8 x its largest size",
         saturating_product(8, std::max(o.max_body_bytes, o.max_ws_message_bytes))},
        {"sessions: session.max_sessions x 1 KiB", saturating_product(o.session.max_sessions, kib)},
        {"queues: 3 x session.max_total_queue_bytes (the text and the message)",
         saturating_product(3, o.session.max_total_queue_bytes)},
        {"subscriptions: 5/4 x session.max_total_subscription_bytes",
         saturating_sum({o.session.max_total_subscription_bytes, o.session.max_total_subscription_bytes / 4})},
        {"SmartREST templates: 4 x templates.max_total_bytes + 1 KiB per collection",
         saturating_sum({saturating_product(4, o.templates.max_total_bytes),
                         saturating_product(kib, o.templates.max_collections)})},
        {"MQTT sessions: mqtt.broker.max_sessions x 2 KiB", saturating_product(o.mqtt.broker.max_sessions, 2 * kib)},
        {"MQTT queues: 2 x mqtt.broker.max_total_queued_bytes", saturating_product(2, o.mqtt.broker.max_total_queued_bytes)},
        {"MQTT subscriptions: 3 x mqtt.broker.max_total_subscription_bytes",
         saturating_product(3, o.mqtt.broker.max_total_subscription_bytes)},
        {"MQTT retained messages: 2 x mqtt.broker.max_retained_bytes + 256 per message",
         saturating_sum({saturating_product(2, o.mqtt.broker.max_retained_bytes),
                         saturating_product(256, o.mqtt.broker.max_retained)})},
    };
    if(o.socketio.service)
        terms.push_back({"Socket.IO sessions and queues: socketio.max_sessions x 4 KiB + 2 x socketio.max_total_queued_bytes",
                         saturating_sum({saturating_product(o.socketio.max_sessions, 4 * kib),
                                         saturating_product(2, o.socketio.max_total_queued_bytes)})});
    for(auto const& [path, service] : o.ws_services)
        if(service)
            terms.push_back({"WebSocket service on " + path, service->memory_bound()});
    if(o.http_api && std::none_of(o.ws_services.begin(), o.ws_services.end(),
                                  [&](auto const& mounted) { return mounted.second == o.http_api; }))
        terms.push_back({"the HTTP API's service", o.http_api->memory_bound()});
    return terms;
}

/** The most memory a server with `o` keeps, in bytes, whatever its peers
    send: every quantity a peer can grow is bounded, and this adds the
    bounds up. The hostile-peer tests throw every known attack at one
    rtnotify-server at once and check its peak RSS stays under it.
*/
inline std::size_t memory_budget(server_options const& o)
{
    std::size_t total = 0;
    for(auto const& t : memory_budget_terms(o))
        total = detail::saturating_sum({total, t.bytes});
    return total;
}

} // namespace rtnotify::beast

#endif
