// What went wrong while decoding a SmartREST body, and where.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_DIAGNOSTIC_HPP
#define RTNOTIFY_SMARTREST_DIAGNOSTIC_HPP

#include <rtnotify/smartrest/error.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <cstddef>
#include <string>

namespace rtnotify::smartrest {

/// What went wrong while decoding a body, and where.
struct diagnostic
{
    /// What went wrong.
    error_code code;

    /// Byte offset in the body (counting a leading BOM) where the problem was found.
    std::size_t offset = 0;

    /// 1-based physical line of `offset`.
    std::size_t line = 1;

    /// 1-based index of the field within its record.
    std::size_t field = 1;

    /// A one-line description: "unterminated quoted field at line 3, field 2 (byte 41)".
    std::string to_string() const
    {
        return code.message() + " at line " + std::to_string(line) + ", field " + std::to_string(field) +
               " (byte " + std::to_string(offset) + ")";
    }

    bool operator==(diagnostic const&) const = default;
};

/// Lets `result<T, diagnostic>::value()` throw a `boost::system::system_error`.
[[noreturn]] inline void throw_exception_from_error(diagnostic const& d, boost::source_location const& loc)
{
    boost::throw_exception(boost::system::system_error(d.code, d.to_string()), loc);
}

} // namespace rtnotify::smartrest

#endif
