// rtnotify-conformance: JSON as people write fixtures (two-space indent, short values on one line).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_PRETTY_HPP
#define RTNOTIFY_CONFORMANCE_PRETTY_HPP

#include <boost/json.hpp>

#include <string>

namespace rtnotify_conformance {

namespace detail {

inline void pretty(std::string& out, boost::json::value const& v, std::size_t indent)
{
    namespace json = boost::json;
    auto const flat = json::serialize(v);
    if(flat.size() + indent <= 100 || (!v.is_array() && !v.is_object()))
    {
        out += flat;
        return;
    }
    std::string const pad(indent + 2, ' ');
    bool first = true;
    if(v.is_object())
    {
        out += "{\n";
        for(auto const& [k, x] : v.as_object())
        {
            out += (first ? "" : ",\n") + pad + json::serialize(json::value(k)) + ": ";
            pretty(out, x, indent + 2);
            first = false;
        }
        out += "\n" + std::string(indent, ' ') + "}";
        return;
    }
    out += "[\n";
    for(auto const& x : v.as_array())
    {
        out += (first ? "" : ",\n") + pad;
        pretty(out, x, indent + 2);
        first = false;
    }
    out += "\n" + std::string(indent, ' ') + "]";
}

} // namespace detail

/// `v` as indented JSON text, ending with a newline.
inline std::string pretty(boost::json::value const& v)
{
    std::string out;
    detail::pretty(out, v, 0);
    return out + "\n";
}

} // namespace rtnotify_conformance

#endif
