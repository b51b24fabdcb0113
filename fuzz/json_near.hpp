// Compares JSON values as a round trip through Boost.JSON 1.81 leaves them: doubles to within a relative 1e-14.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_FUZZ_JSON_NEAR_HPP
#define RTNOTIFY_FUZZ_JSON_NEAR_HPP

#include <boost/json/value.hpp>

#include <cmath>
#include <cstddef>

namespace rtnotify_fuzz {

/// Equal JSON, doubles within a relative 1e-14 (an overflowing literal such
/// as 2e9999 parses to infinity, which must come back as itself).
inline bool json_near(boost::json::value const& a, boost::json::value const& b)
{
    if(a.is_double() && b.is_double())
        return a.get_double() == b.get_double() ||
               std::fabs(a.get_double() - b.get_double()) <= 1e-14 * std::fabs(a.get_double());
    if(a.kind() != b.kind())
        return false;
    if(auto const* x = a.if_array())
    {
        auto const& y = b.get_array();
        if(x->size() != y.size())
            return false;
        for(std::size_t i = 0; i < x->size(); ++i)
            if(!json_near((*x)[i], y[i]))
                return false;
        return true;
    }
    if(auto const* x = a.if_object())
    {
        auto const& y = b.get_object();
        if(x->size() != y.size())
            return false;
        for(auto const& kv : *x)
        {
            auto const* other = y.if_contains(kv.key());
            if(!other || !json_near(kv.value(), *other))
                return false;
        }
        return true;
    }
    return a == b;
}

} // namespace rtnotify_fuzz

#endif
