// rtnotify/beast/access_entry.hpp: one line of the server's access log: a response it began to send, without secrets.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_ACCESS_ENTRY_HPP
#define RTNOTIFY_BEAST_ACCESS_ENTRY_HPP

#include <chrono>
#include <cstddef>
#include <string_view>

namespace rtnotify::beast {

/** A response the server began to send, for `server_options::access_log`.

    It holds nothing a client could use to act as another: no header (no
    cookie, no credentials) and no query string (JSONP requests carry their
    client id there). The views live as long as the call.
*/
struct access_entry
{
    std::string_view peer;   ///< the client's address
    std::string_view method; ///< "GET", "POST", ...; empty for a request that could not be read
    std::string_view path;   ///< the request target without its query; empty for a request that could not be read
    unsigned status = 0;     ///< 101 for a WebSocket upgrade
    std::size_t body_bytes = 0; ///< the response body's size; 0 for a streamed one (SmartREST keep-alive) and an upgrade
    std::chrono::milliseconds elapsed{0}; ///< from the request's arrival to the response: a held connect's hold
    bool tls = false;        ///< it came on a TLS listener
};

} // namespace rtnotify::beast

#endif
