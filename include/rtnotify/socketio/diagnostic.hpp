// What went wrong while decoding an Engine.IO or Socket.IO packet or payload, and where.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SOCKETIO_DIAGNOSTIC_HPP
#define RTNOTIFY_SOCKETIO_DIAGNOSTIC_HPP

#include <rtnotify/socketio/error.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <cstddef>
#include <string>

namespace rtnotify::socketio {

/// What went wrong while decoding, and where.
struct diagnostic
{
    /// What went wrong.
    error_code code;

    /// Offset of the byte at fault in the decoded text (the payload, or the packet).
    std::size_t offset = 0;

    /// A one-line description: "data is not JSON at byte 12".
    std::string to_string() const { return code.message() + " at byte " + std::to_string(offset); }

    bool operator==(diagnostic const&) const = default;
};

/// Lets `boost::system::result<T, diagnostic>::value()` throw a `boost::system::system_error`.
[[noreturn]] inline void throw_exception_from_error(diagnostic const& d, boost::source_location const& loc)
{
    boost::throw_exception(boost::system::system_error(d.code, d.to_string()), loc);
}

} // namespace rtnotify::socketio

#endif
