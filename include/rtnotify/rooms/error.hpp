// The error codes of the filter DSL and of rooms, and their category.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_ERROR_HPP
#define RTNOTIFY_ROOMS_ERROR_HPP

#include <rtnotify/error.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <string>

namespace rtnotify::rooms {

using rtnotify::error_code;
using rtnotify::result;

/// Errors of the filter DSL.
enum class error
{
    /// A filter or sub-filter is not a JSON object.
    not_object = 1,

    /// An object that must hold exactly one keyword holds none or several.
    one_keyword,

    /// A keyword the DSL does not have.
    unknown_keyword,

    /// A value has the wrong JSON type.
    wrong_type,

    /// An array or object that must not be empty is.
    empty,

    /// A required property is missing, or a property is not allowed.
    bad_property,

    /// A range whose bounds are missing, repeated or not in order.
    bad_range,

    /// A regular expression RE2 cannot compile, or an unknown flag.
    bad_regexp,

    /// A geopoint, shape or distance that cannot be read, or a latitude beyond ±90.
    bad_geo,

    /// The filter has more conditions than the limit (condition::limit_exceeded).
    too_many_conditions,

    /// The filter nests deeper than the limit (condition::limit_exceeded).
    too_deep,

    /// The normalized (DNF) form would exceed its limit (condition::limit_exceeded).
    too_complex,

    /// A new room is needed but the registry holds its maximum of rooms (condition::limit_exceeded).
    too_many_rooms,
};

/// Why a filter was refused: the error, the path of the offending keyword in the filter, and a sentence.
struct filter_error
{
    error_code code;
    std::string path;    ///< dotted path inside the filter, e.g. `and.1.range.age.gt`
    std::string message; ///< what is wrong, e.g. `must be a number`

    /// Koncorde's format: `"<path>": <message>` (the message alone for the whole filter).
    std::string to_string() const { return path.empty() ? message : '"' + path + "\": " + message; }
};

/// Lets `result<T, filter_error>::value()` throw a `boost::system::system_error`.
[[noreturn]] inline void throw_exception_from_error(filter_error const& e, boost::source_location const& loc)
{
    boost::throw_exception(boost::system::system_error(e.code, e.to_string()), loc);
}

} // namespace rtnotify::rooms

template<>
struct rtnotify::detail::error_traits<rtnotify::rooms::error>
{
    static constexpr unsigned long long id = 0x4c1f9b27e6d3a085ull;
    static constexpr char const* name = "rtnotify.rooms";

    static error_info info(rooms::error e) noexcept
    {
        using rooms::error;
        switch(e)
        {
        case error::not_object:          return {"filter is not an object", condition::protocol_error};
        case error::one_keyword:         return {"filters must have one keyword only", condition::protocol_error};
        case error::unknown_keyword:     return {"unknown keyword", condition::protocol_error};
        case error::wrong_type:          return {"wrong type", condition::protocol_error};
        case error::empty:               return {"must not be empty", condition::protocol_error};
        case error::bad_property:        return {"missing or unexpected property", condition::protocol_error};
        case error::bad_range:           return {"invalid range", condition::protocol_error};
        case error::bad_regexp:          return {"invalid regular expression", condition::protocol_error};
        case error::bad_geo:             return {"invalid geopoint, shape or distance", condition::protocol_error};
        case error::too_many_conditions: return {"too many conditions", condition::limit_exceeded};
        case error::too_deep:            return {"filter nested too deeply", condition::limit_exceeded};
        case error::too_complex:         return {"normalized filter too large", condition::limit_exceeded};
        case error::too_many_rooms:      return {"too many rooms", condition::limit_exceeded};
        }
        return {"unknown rooms error", condition::protocol_error};
    }
};

template<>
struct boost::system::is_error_code_enum<rtnotify::rooms::error> : std::true_type
{
};

namespace rtnotify::rooms {

/// Makes an error code from a rooms error value.
inline error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), rtnotify::detail::category_of<error>()};
}

} // namespace rtnotify::rooms

#endif
