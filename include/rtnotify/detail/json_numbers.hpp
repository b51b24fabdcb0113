// rtnotify/detail/json_numbers.hpp: repairs the NaN that Boost.JSON before 1.83 makes of a zero with a huge exponent.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_DETAIL_JSON_NUMBERS_HPP
#define RTNOTIFY_DETAIL_JSON_NUMBERS_HPP

#include <boost/json/value.hpp>

#include <cmath>

namespace rtnotify::detail {

/** Replaces every NaN number in `v` by zero.

    JSON text cannot spell NaN, yet Boost.JSON 1.81 parses `0e400` (a zero
    mantissa with an exponent above 308) as 0 times infinity, a NaN. The
    number the text means is zero, and a NaN would compare unequal to
    everything downstream (and to itself), so parsers of network input call
    this on the parsed tree. The NaN does not keep the text's sign (x86 makes
    0 times infinity a negative NaN), so `-0e400` becomes 0, not -0.
*/
inline void restore_overflowed_zeros(boost::json::value& v) noexcept
{
    switch(v.kind())
    {
    case boost::json::kind::double_:
        if(std::isnan(v.get_double()))
            v = 0.0;
        return;
    case boost::json::kind::array:
        for(auto& e : v.get_array())
            restore_overflowed_zeros(e);
        return;
    case boost::json::kind::object:
        for(auto& kv : v.get_object())
            restore_overflowed_zeros(kv.value());
        return;
    default: return;
    }
}

/// True when no number in `v` is infinite or NaN (Boost.JSON parses an overflowing literal such as 1e999 to infinity).
inline bool all_finite(boost::json::value const& v) noexcept
{
    switch(v.kind())
    {
    case boost::json::kind::double_: return std::isfinite(v.get_double());
    case boost::json::kind::array:
        for(auto const& e : v.get_array())
            if(!all_finite(e))
                return false;
        return true;
    case boost::json::kind::object:
        for(auto const& kv : v.get_object())
            if(!all_finite(kv.value()))
                return false;
        return true;
    default: return true;
    }
}

} // namespace rtnotify::detail

#endif
