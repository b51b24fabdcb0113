// rtnotify/bayeux/decode_options.hpp: the limits bayeux::decode enforces on a body from the network.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_DECODE_OPTIONS_HPP
#define RTNOTIFY_BAYEUX_DECODE_OPTIONS_HPP

#include <cstddef>

namespace rtnotify::bayeux {

/// Limits of the batch decoder; the defaults are safe for bodies from the network.
struct decode_options
{
    std::size_t max_body_size = std::size_t(1) << 20;  ///< bytes
    std::size_t max_messages = 1000;                   ///< messages in one batch
    std::size_t max_depth = 64;                        ///< JSON nesting
    std::size_t max_string_length = std::size_t(256) << 10; ///< bytes of one JSON string or key
};

} // namespace rtnotify::bayeux

#endif
