// A text message for one connection: what the sans-I/O text services (Kuzzle's API) return to their transport.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_OUTGOING_TEXT_HPP
#define RTNOTIFY_OUTGOING_TEXT_HPP

#include <cstdint>
#include <memory>
#include <string>

namespace rtnotify {

/// A text to send to connection `to`; a notification sent to many connections shares one text.
struct outgoing_text
{
    std::uint64_t to = 0;
    std::shared_ptr<std::string const> text;

    /// The channel of a notification (what MQTT publishes it on, the Socket.IO event it comes as), shared like the text; null for a response.
    std::shared_ptr<std::string const> channel;

    /// The `requestId` a response answers (the Socket.IO event it comes as); empty for a notification.
    std::string request_id;
};

} // namespace rtnotify

#endif
