// rtnotify/smartrest/registry_options.hpp: the limits of the SmartREST template registry.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_REGISTRY_OPTIONS_HPP
#define RTNOTIFY_SMARTREST_REGISTRY_OPTIONS_HPP

#include <rtnotify/settings.hpp>

#include <cstddef>
#include <optional>
#include <utility>

namespace rtnotify::smartrest {

/// Limits of a registry; the defaults are safe for input from the network.
struct registry_options
{
    std::size_t max_collections = 10000;     ///< X-Ids
    std::size_t max_templates = 1000;        ///< request plus response templates per X-Id
    std::size_t max_collection_bytes = 64 * 1024;        ///< the fields of one registration
    std::size_t max_total_bytes = std::size_t(64) << 20; ///< the fields of every registration together
    /// Collections one owner (the server passes the client's address) may register.
    std::size_t max_collections_per_owner = 1000;
};

/// The first setting of `o` out of its range, or none: every limit runs from 1.
inline std::optional<invalid_setting> check_settings(registry_options const& o)
{
    for(auto const& [name, value] : {std::pair<char const*, std::size_t>{"max_collections", o.max_collections},
                                     {"max_templates", o.max_templates},
                                     {"max_collection_bytes", o.max_collection_bytes},
                                     {"max_total_bytes", o.max_total_bytes},
                                     {"max_collections_per_owner", o.max_collections_per_owner}})
        if(auto bad = rtnotify::detail::at_least_one(name, value))
            return bad;
    return std::nullopt;
}

} // namespace rtnotify::smartrest

#endif
