// Bayeux channel names: the grammar, meta and service channels, wildcard patterns and matching.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_CHANNEL_HPP
#define RTNOTIFY_BAYEUX_CHANNEL_HPP

#include <string>
#include <string_view>
#include <vector>

// The comments of this header name channel patterns, which contain "/*";
// they are written with "///" for that reason.

namespace rtnotify::bayeux {

/// How a string fits the channel grammar.
enum class validity
{
    invalid,    ///< neither the spec nor CometD accepts it
    non_strict, ///< outside the spec's grammar, but CometD accepts it (e.g. `/a b`, `/a.b`, `/a/`)
    valid,      ///< the spec's grammar
};

/// The wildcard a channel string ends with.
enum class wildcard
{
    none, ///< a channel name
    one,  ///< ends with the segment `*`: exactly one more segment
    many, ///< ends with the segment `**`: one or more segments
};

/// What `classify` found.
struct channel_class
{
    bayeux::validity validity = bayeux::validity::invalid;
    bayeux::wildcard wildcard = bayeux::wildcard::none;

    bool operator==(channel_class const&) const = default;
};

namespace detail {

// The spec's `mark` and alphanumerics.
constexpr bool strict_char(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '!' || c == '~' || c == '(' || c == ')' || c == '$' || c == '@';
}

// What CometD's validator accepts in addition.
constexpr bool cometd_char(char c) noexcept
{
    return strict_char(c) || c == ' ' || c == '#' || c == '*' || c == '+' || c == '.' || c == '{' || c == '}';
}

} // namespace detail

/// Classifies a channel name or pattern.
///
/// The spec: `"/" segment *("/" segment)`, a segment being one or more
/// alphanumerics or `- _ ! ~ ( ) $ @`; a pattern ends with the segment `*`
/// or `**` (wildcards only last; `/*` and `/**` are patterns). CometD also
/// accepts `space # * + . { }` inside segments (`*x` is then a literal
/// segment) and one trailing `/`: those are `non_strict`.
inline channel_class classify(std::string_view s) noexcept
{
    channel_class c;
    if(s.size() < 2 || s.front() != '/')
        return c;
    bool strict = true;
    if(s.back() == '/') // CometD strips one trailing slash
    {
        s.remove_suffix(1);
        strict = false;
        if(s.empty() || s.back() == '/')
            return c;
    }
    s.remove_prefix(1);
    while(true)
    {
        auto const slash = s.find('/');
        auto const seg = s.substr(0, slash);
        bool const last = slash == std::string_view::npos;
        if(seg.empty())
            return c;
        if(seg == "*" || seg == "**")
        {
            if(!last)
                return c;
            c.wildcard = seg.size() == 1 ? wildcard::one : wildcard::many;
        }
        else
            for(char ch : seg)
            {
                if(!detail::cometd_char(ch))
                    return c;
                strict = strict && detail::strict_char(ch);
            }
        if(last)
            break;
        s.remove_prefix(slash + 1);
    }
    c.validity = strict ? validity::valid : validity::non_strict;
    return c;
}

/// True for `/meta` and everything below it: the protocol's own channels.
inline bool is_meta(std::string_view channel) noexcept
{
    return channel == "/meta" || channel.starts_with("/meta/");
}

/// True for `/service` and everything below it: request/reply channels, never broadcast.
inline bool is_service(std::string_view channel) noexcept
{
    return channel == "/service" || channel.starts_with("/service/");
}

/// True when `pattern` (a name, or a pattern ending in `*` or `**`) matches the channel `name`.
///
/// `/w/*` matches `/w/a` only; `/v/**` matches `/v/a` and `/v/a/b`; neither
/// matches the bare parent. A name matches only itself.
inline bool matches(std::string_view pattern, std::string_view name) noexcept
{
    if(pattern.ends_with("/**"))
    {
        auto const prefix = pattern.substr(0, pattern.size() - 2); // keeps the '/'
        return name.size() > prefix.size() && name.starts_with(prefix);
    }
    if(pattern.ends_with("/*"))
    {
        auto const prefix = pattern.substr(0, pattern.size() - 1);
        return name.size() > prefix.size() && name.starts_with(prefix) &&
               name.find('/', prefix.size()) == std::string_view::npos;
    }
    return pattern == name;
}

/// Calls `f(pattern)` for the name itself and every pattern that matches it.
///
/// For `/a/b/c`: `/a/b/c`, `/a/b/*`, `/**`, `/a/**`, `/a/b/**`. The views
/// passed to `f` are valid during the call only. Cost: O(depth). A string
/// that does not start with `/` is visited alone.
template<class F>
void for_each_expansion(std::string_view name, F&& f)
{
    f(name);
    if(name.empty() || name.front() != '/')
        return;
    auto const last = name.rfind('/');
    std::string buf;
    buf.reserve(name.size() + 2);
    buf.assign(name.substr(0, last + 1)).push_back('*');
    f(std::string_view(buf));
    for(std::size_t p = 0;; p = name.find('/', p + 1))
    {
        buf.assign(name.substr(0, p + 1)).append("**");
        f(std::string_view(buf));
        if(p == last)
            break;
    }
}

/// The patterns `for_each_expansion` visits, as strings.
inline std::vector<std::string> expand(std::string_view name)
{
    std::vector<std::string> out;
    for_each_expansion(name, [&](std::string_view p) { out.emplace_back(p); });
    return out;
}

} // namespace rtnotify::bayeux

#endif
