// rtnotify/bayeux/http_options.hpp: the settings of the Bayeux HTTP binding (limits, JSONP callback).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_HTTP_OPTIONS_HPP
#define RTNOTIFY_BAYEUX_HTTP_OPTIONS_HPP

#include <rtnotify/bayeux/decode_options.hpp>

#include <cstddef>
#include <string>

namespace rtnotify::bayeux {

/// Options of the HTTP binding.
struct http_options
{
    decode_options limits;                        ///< body size, batch size, depth, string length
    std::string default_callback = "jsonpcallback"; ///< JSONP callback when `jsonp=` is absent
    std::size_t max_callback_length = 64;
};

} // namespace rtnotify::bayeux

#endif
