// What went wrong while decoding an MQTT packet, and where.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_MQTT_DIAGNOSTIC_HPP
#define RTNOTIFY_MQTT_DIAGNOSTIC_HPP

#include <rtnotify/mqtt/error.hpp>
#include <rtnotify/mqtt/packet.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace rtnotify::mqtt {

/// What went wrong while decoding a packet, and where.
struct diagnostic
{
    /// What went wrong.
    error_code code;

    /// Offset in the byte stream of the first byte of the field at fault.
    std::size_t offset = 0;

    /// The packet's type, or 0 when the first byte itself is at fault.
    std::uint8_t type = 0;

    /// A one-line description: "bad topic filter in SUBSCRIBE at byte 14".
    std::string to_string() const
    {
        std::string s = code.message();
        if(type != 0)
            s.append(" in ").append(mqtt::to_string(static_cast<packet_type>(type)));
        return s + " at byte " + std::to_string(offset);
    }

    bool operator==(diagnostic const&) const = default;
};

/// Lets `result<T, diagnostic>::value()` throw a `boost::system::system_error`.
[[noreturn]] inline void throw_exception_from_error(diagnostic const& d, boost::source_location const& loc)
{
    boost::throw_exception(boost::system::system_error(d.code, d.to_string()), loc);
}

} // namespace rtnotify::mqtt

#endif
