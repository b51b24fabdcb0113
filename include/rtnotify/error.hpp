// The error code type and the error conditions shared by every area of rtnotify.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ERROR_HPP
#define RTNOTIFY_ERROR_HPP

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <type_traits>

namespace rtnotify {

/// The error code type used throughout rtnotify.
using error_code = boost::system::error_code;

/// The return type of functions that may fail without throwing.
template<class T>
using result = boost::system::result<T>;

/** Generic error conditions shared by every area.

    Each codec area (`smartrest`, `bayeux`, `rooms`) has its own
    `enum class error`; every value of it maps onto exactly one of these
    conditions, so callers can test `ec == rtnotify::condition::parse_error`
    without knowing the area that produced `ec`.
*/
enum class condition
{
    /// The bytes are not well-formed for the protocol's syntax (remote error).
    parse_error = 1,

    /// The input is well-formed but breaks a rule of the protocol (remote error).
    protocol_error,

    /// A configured limit (size, count, depth) was exceeded.
    limit_exceeded,

    /// The input is valid but asks for something this implementation does not do.
    unsupported,

    /// The caller used the API in a way it does not allow (local error).
    api_misuse,

    /// The input ended early; feeding more bytes may complete it.
    need_more,
};

namespace detail {

class condition_category_impl final : public boost::system::error_category
{
public:
    constexpr condition_category_impl() noexcept
        : error_category(0x8f3a6c1e52d70b41ull)
    {
    }

    char const* name() const noexcept override
    {
        return "rtnotify";
    }

    std::string message(int ev) const override
    {
        return message(ev, nullptr, 0);
    }

    char const* message(int ev, char*, std::size_t) const noexcept override
    {
        switch(static_cast<condition>(ev))
        {
        case condition::parse_error:    return "parse error";
        case condition::protocol_error: return "protocol error";
        case condition::limit_exceeded: return "limit exceeded";
        case condition::unsupported:    return "unsupported";
        case condition::api_misuse:     return "api misuse";
        case condition::need_more:      return "need more input";
        }
        return "unknown rtnotify condition";
    }
};

} // namespace detail

/// The category of `rtnotify::condition`.
inline boost::system::error_category const& condition_category() noexcept
{
    static detail::condition_category_impl const cat;
    return cat;
}

/// Makes an error condition from a generic condition value.
inline boost::system::error_condition make_error_condition(condition c) noexcept
{
    return {static_cast<int>(c), condition_category()};
}

namespace detail {

/// What one value of an area's `error` enum means.
struct error_info
{
    char const* message; ///< human-readable text
    condition cond;      ///< the generic condition it maps onto
};

/** Describes an area's error enum to `area_category`.

    Specialise with `static constexpr unsigned long long id` (a fixed, random
    64-bit category id), `static constexpr char const* name`, and
    `static error_info info(Error) noexcept`.
*/
template<class Error>
struct error_traits;

/// An error category built from `error_traits<Error>`.
template<class Error>
class area_category final : public boost::system::error_category
{
    using traits = error_traits<Error>;

public:
    constexpr area_category() noexcept
        : error_category(traits::id)
    {
    }

    char const* name() const noexcept override
    {
        return traits::name;
    }

    std::string message(int ev) const override
    {
        return traits::info(static_cast<Error>(ev)).message;
    }

    char const* message(int ev, char*, std::size_t) const noexcept override
    {
        return traits::info(static_cast<Error>(ev)).message;
    }

    boost::system::error_condition default_error_condition(int ev) const noexcept override
    {
        return make_error_condition(traits::info(static_cast<Error>(ev)).cond);
    }
};

/// The single category object of an area's error enum.
template<class Error>
boost::system::error_category const& category_of() noexcept
{
    static area_category<Error> const cat;
    return cat;
}

} // namespace detail
} // namespace rtnotify

template<>
struct boost::system::is_error_condition_enum<rtnotify::condition> : std::true_type
{
};

#endif
