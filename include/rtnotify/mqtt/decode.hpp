// Decodes one whole MQTT 3.1.1 control packet.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_DECODE_HPP
#define RTNOTIFY_MQTT_DECODE_HPP

#include <rtnotify/mqtt/decode_options.hpp>
#include <rtnotify/mqtt/detail/packet_parser.hpp>
#include <rtnotify/mqtt/diagnostic.hpp>
#include <rtnotify/mqtt/packet.hpp>

#include <cstddef>
#include <string_view>

namespace rtnotify::mqtt {

/** Decodes `bytes`, which must be exactly one control packet.

    Checks every rule of MQTT 3.1.1 a receiver can check on one packet: the
    fixed header flags of each type, the Remaining Length, well-formed UTF-8
    strings without U+0000, topic names without wildcards, topic filters with
    whole-level wildcards, packet identifiers other than 0, QoS 0 to 2, and
    the CONNECT flags. A failure says what and at which byte.

    @return the packet, or a diagnostic: `error::need_more` when `bytes` is a
    prefix of a packet, `error::trailing_bytes` when it holds more than one.
*/
inline boost::system::result<packet, diagnostic> decode(std::string_view bytes, decode_options const& opts = {})
{
    diagnostic diag;
    std::size_t used = 0;
    auto p = detail::decode_front(bytes, 0, opts, diag, used);
    if(!p)
        return diag;
    if(used != bytes.size())
        return diagnostic{error::trailing_bytes, used, 0};
    return std::move(*p);
}

} // namespace rtnotify::mqtt

#endif
