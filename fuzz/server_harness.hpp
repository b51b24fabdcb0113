// The server's connections on an in-memory stream, and what the fuzz targets check of what they write back
// (defined in server_harness.cpp, which both connection targets link: the server's templates compile once).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_FUZZ_SERVER_HARNESS_HPP
#define RTNOTIFY_FUZZ_SERVER_HARNESS_HPP

#include <rtnotify/beast/server_options.hpp>

#include "fuzz_support.hpp"

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace rtnotify_fuzz {

/// Where the harness server mounts a Kuzzle WebSocket service.
inline constexpr std::string_view kuzzle_path = "/kuzzle";

/** Server settings with every bound small, so that inputs of a few KiB reach
    them: headers, bodies, WebSocket messages, the buffer budget, sessions,
    templates, Kuzzle filters and rooms, Socket.IO sessions and queues (the
    Kuzzle service is also at /socket.io/).
*/
rtnotify::beast::server_options small_server_options();

/** Runs one connection of a server with `opts` on an in-memory stream: the
    peer sends each of `bursts` once the server has done all it can with the
    one before (as a WebSocket client waits for the upgrade's response), each
    read of the server returning at most `read_size` bytes; then it ends its
    stream. Once the server has done all it can, it stops (`hub::stop`,
    shutdown grace 1 ms) and the run ends when the last handler has.
    Returns what the server wrote.

    Checks that the connection leaves nothing behind: no connection counted
    open, no byte counted in `max_buffered_bytes`.
*/
std::string run_connection(rtnotify::beast::server_options opts, std::initializer_list<std::string_view> bursts,
                           std::size_t read_size);

/** As above, each burst made by `next_burst` from what the server has
    written so far (none: the peer ends its stream), so that a request may
    name what an answer gave (a Socket.IO session id).
*/
std::string run_connection(rtnotify::beast::server_options opts,
                           std::function<std::optional<std::string>(std::string_view written)> const& next_burst,
                           std::size_t read_size);

/// True when `text` is valid UTF-8.
bool is_utf8(std::string_view text);

/** Checks that `out` is what a server may write on one connection: complete
    HTTP/1.x responses, then, after a `101 Switching Protocols`, WebSocket
    frames as a server sends them (unmasked, known opcodes, text in UTF-8,
    a close frame last with a code the server documents or the one of a
    close the client sent in `sent`). Returns the number of WebSocket
    messages before the close frame, or 0 without an upgrade.
*/
std::size_t check_server_output(std::string_view out, std::string_view sent);

} // namespace rtnotify_fuzz

#endif
