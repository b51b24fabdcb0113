// rtnotify-conformance: a logical client's WebSocket, kept open across the steps of a case.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_WEBSOCKET_HPP
#define RTNOTIFY_CONFORMANCE_WEBSOCKET_HPP

#include "http.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace rtnotify_conformance {

/** One WebSocket to the target, driven step by step: each call runs its own
    io_context for at most the time it is given. A receive that times out
    stays pending, so a message arriving later is taken by the next receive
    and none is lost.
*/
class ws_client
{
public:
    /// A text message, or why none came.
    using received = std::variant<std::string, no_reply>;

    ws_client();
    ~ws_client();

    /// Opens `path` on `to` with the client's cookies (over TLS when `to`
    /// says so): the upgrade's reply (status 101 when open, else the
    /// refusal's status and body), or why none came.
    std::variant<reply, no_reply> open(target const& to, std::string const& path, cookie_jar& jar,
                                       std::chrono::milliseconds limit);

    /// True after an upgrade that succeeded.
    bool is_open() const noexcept;

    /// Sends `text` as one text message; empty when it went out.
    std::optional<no_reply> send(std::string const& text, std::chrono::milliseconds limit);

    /// The next message, waiting at most `limit` for it.
    received receive(std::chrono::milliseconds limit);

    /// Closes the WebSocket (normal closure), waiting at most `limit`.
    void close(std::chrono::milliseconds limit);

private:
    class socket; // the Beast WebSocket and its io_context (websocket.cpp)
    std::unique_ptr<socket> socket_;
};

} // namespace rtnotify_conformance

#endif
