// Reading configuration values from JSON, every refusal naming the path of the value at fault.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_AUTH_CONFIG_READER_HPP
#define RTNOTIFY_AUTH_CONFIG_READER_HPP

#include <rtnotify/bayeux/channel.hpp>

#include <boost/json/value.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtnotify::auth {

/// A configuration refused: the dotted path of the offending value ("users.alice.password") and why.
struct config_error
{
    std::string path;
    std::string message;

    std::string to_string() const { return path.empty() ? message : path + ": " + message; }
};

/** A duration: a number of milliseconds, or a string `<n>ms|s|m|h|d`
    ("30s", "2h"); nothing for anything else, negative or over 10 years.
*/
inline std::optional<std::int64_t> parse_duration_ms(boost::json::value const& v)
{
    constexpr std::int64_t limit = std::int64_t(10) * 366 * 86400000;
    if(v.is_uint64())
        return v.get_uint64() <= std::uint64_t(limit) ? std::optional(std::int64_t(v.get_uint64())) : std::nullopt;
    if(v.is_int64())
        return v.get_int64() >= 0 && v.get_int64() <= limit ? std::optional(v.get_int64()) : std::nullopt;
    if(!v.is_string())
        return std::nullopt;
    std::string_view s = v.get_string();
    std::int64_t n = 0;
    std::size_t i = 0;
    for(; i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 12; ++i)
        n = n * 10 + (s[i] - '0');
    if(i == 0)
        return std::nullopt;
    constexpr std::pair<std::string_view, std::int64_t> units[] = {
        {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
    for(auto const& [unit, factor] : units)
        if(s.substr(i) == unit)
            return n <= limit / factor ? std::optional(n * factor) : std::nullopt;
    return std::nullopt;
}

namespace detail {

/// Reads one configuration object, remembering the path for errors.
class config_reader
{
public:
    std::optional<config_error> error;

    bool fail(std::string path, std::string message)
    {
        if(!error)
            error = config_error{std::move(path), std::move(message)};
        return false;
    }

    /// `v` as an object whose keys are all in `allowed`.
    boost::json::object const* object(boost::json::value const& v, std::string const& path,
                                      std::initializer_list<std::string_view> allowed)
    {
        if(!v.is_object())
            return fail(path, "expected an object"), nullptr;
        for(auto const& kv : v.get_object())
            if(allowed.size() && std::find(allowed.begin(), allowed.end(), kv.key()) == allowed.end())
            {
                std::string names;
                for(auto a : allowed)
                    names += (names.empty() ? "" : ", ") + std::string(a);
                return fail(join(path, kv.key()), "unknown setting (expected one of: " + names + ")"), nullptr;
            }
        return &v.get_object();
    }

    std::optional<std::string> string(boost::json::value const& v, std::string const& path)
    {
        if(!v.is_string())
            return fail(path, "expected a string"), std::nullopt;
        return std::string(v.get_string());
    }

    std::optional<std::vector<std::string>> strings(boost::json::value const& v, std::string const& path)
    {
        if(!v.is_array())
            return fail(path, "expected an array of strings"), std::nullopt;
        std::vector<std::string> out;
        for(std::size_t i = 0; i < v.get_array().size(); ++i)
        {
            auto s = string(v.get_array()[i], path + "[" + std::to_string(i) + "]");
            if(!s)
                return std::nullopt;
            out.push_back(std::move(*s));
        }
        return out;
    }

    /// Bayeux channel names and patterns (`/a/b`, `/a/*`, `/a/**`).
    std::optional<std::vector<std::string>> channels(boost::json::value const& v, std::string const& path)
    {
        auto l = strings(v, path);
        if(l)
            for(std::size_t i = 0; i < l->size(); ++i)
                if(bayeux::classify((*l)[i]).validity != bayeux::validity::valid)
                    return fail(path + "[" + std::to_string(i) + "]",
                                "not a Bayeux channel or pattern (\"/a/b\", \"/a/*\", \"/a/**\")"),
                           std::nullopt;
        return l;
    }

    std::optional<std::size_t> count(boost::json::value const& v, std::string const& path)
    {
        if(!(v.is_uint64() || (v.is_int64() && v.get_int64() >= 1)) || v.to_number<std::uint64_t>() == 0)
            return fail(path, "expected a whole number of at least 1"), std::nullopt;
        return static_cast<std::size_t>(v.to_number<std::uint64_t>());
    }

    std::optional<std::int64_t> duration(boost::json::value const& v, std::string const& path)
    {
        auto d = parse_duration_ms(v);
        if(!d || *d == 0)
            return fail(path, "expected a duration: milliseconds, or a string such as \"30s\", \"15m\", \"2h\", \"1d\""),
                   std::nullopt;
        return d;
    }

    /// `o[key]`; when it is absent, a refusal "missing" (and `why`, when given) at `path.key`, and null.
    boost::json::value const* required(boost::json::object const& o, std::string_view key, std::string const& path,
                                       std::string_view why = {})
    {
        auto const* v = o.if_contains(key);
        if(!v)
            fail(join(path, key), "missing" + std::string(why));
        return v;
    }

    /// `o[key]`, when present, read by `read` into `target`.
    template<class T, class Read>
    void optional(boost::json::object const& o, std::string_view key, std::string const& path, T& target, Read read)
    {
        if(auto const* v = o.if_contains(key))
            if(auto x = (this->*read)(*v, join(path, key)))
                target = *x;
    }

    static std::string join(std::string const& path, std::string_view key)
    {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }
};

} // namespace detail

} // namespace rtnotify::auth

#endif
