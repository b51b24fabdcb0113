// How the servers of a group (one per thread) share the work: which one a request belongs to, and the hooks that join them.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_SHARDING_HPP
#define RTNOTIFY_BEAST_SHARDING_HPP

#include <rtnotify/beast/handed_connection.hpp>
#include <rtnotify/beast/metrics.hpp>
#include <rtnotify/session/address_counts.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::beast {

/// The characters that tag a client id with its shard: shard `i` is `shard_tags[i]`, so a group holds at most 62.
inline constexpr std::string_view shard_tags = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Where a server stands in a group of servers that share their listeners
    and serve as one (`server_group`, one per thread). Shard 0 serves
    everything but the Bayeux sessions of the others: SmartREST, Kuzzle's
    services, Socket.IO, MQTT, `/metrics` and `/health`. Every shard serves
    the Bayeux sessions it made, whose client ids begin with its tag.
*/
struct sharding_options
{
    std::size_t index = 0; ///< this server's place, from 0
    std::size_t count = 1; ///< the servers of the group; 1: alone

    /// Takes over a connection whose request belongs to shard `to` (posts it there); needed when `count > 1`.
    std::function<void(std::size_t to, handed_connection)> hand_off;

    /// Shard 0's `/metrics`: the other shards' families, summed with its own (`sum_metrics`); empty: its own only.
    std::function<std::vector<std::vector<metric_family>>()> peer_metrics;

    /// The group's connections per client address, so `max_connections_per_address` holds group-wide; empty: its own.
    std::shared_ptr<session::address_counts> connections_per_address;

    /// The group's bytes being read per client address, so `max_buffered_bytes_per_address` holds group-wide; empty: its own.
    std::shared_ptr<session::address_counts> buffered_per_address;
};

/// The shard a client id names, or none (not tagged, or a tag past `count`).
inline std::optional<std::size_t> shard_of_client(std::string_view client_id, std::size_t count) noexcept
{
    if(client_id.empty())
        return std::nullopt;
    auto const at = shard_tags.find(client_id.front());
    if(at == std::string_view::npos || at >= count)
        return std::nullopt;
    return at;
}

/// `make_client_id`'s ids tagged with shard `index`: its tag, then the id.
inline std::function<std::string()> tagged_client_ids(std::size_t index, std::function<std::string()> make_client_id)
{
    return [tag = shard_tags.at(index), make = std::move(make_client_id)] { return tag + make(); };
}

} // namespace rtnotify::beast

#endif
