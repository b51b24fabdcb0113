// examples/reach_options.hpp: the command-line options the client tools share: numbers, and how to reach an endpoint.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_EXAMPLES_REACH_OPTIONS_HPP
#define RTNOTIFY_EXAMPLES_REACH_OPTIONS_HPP

#include <rtnotify/beast/endpoint.hpp>

#include <charconv>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify_examples {

/// `s` as an unsigned decimal, all of it; nothing otherwise.
inline std::optional<std::uint64_t> parse_number(std::string_view s)
{
    std::uint64_t v = 0;
    auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if(s.empty() || ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

/// What `take_reach_option` made of an argument.
enum class option_taken
{
    no,         ///< not one of the reach options
    yes,        ///< taken into the endpoint options
    usage_error ///< one of them, but wrong; the reason is on stderr
};

/** Takes `args[i]` when it is `--user NAME:PASSWORD`, `--header 'Name: value'`,
    `--cacert FILE` or `--insecure` into `reach`, moving `i` past its value.
    `tool` names the program in error messages.
*/
inline option_taken take_reach_option(std::string_view tool, std::vector<std::string_view> const& args, std::size_t& i,
                                      rtnotify::beast::endpoint_options& reach)
{
    auto const a = args[i];
    if(a == "--insecure")
    {
        reach.insecure = true;
        return option_taken::yes;
    }
    if(a != "--user" && a != "--cacert" && a != "--header")
        return option_taken::no;
    if(i + 1 == args.size())
    {
        std::cerr << tool << ": " << a << " needs a value (see --help)\n";
        return option_taken::usage_error;
    }
    auto const v = args[++i];
    if(a == "--user")
        reach.user = std::string(v);
    else if(a == "--cacert")
        reach.cacert = std::string(v);
    else if(auto h = rtnotify::beast::parse_header_line(v))
        reach.headers.push_back(std::move(*h));
    else
    {
        std::cerr << tool << ": --header needs 'Name: value', not '" << v << "'\n";
        return option_taken::usage_error;
    }
    return option_taken::yes;
}

} // namespace rtnotify_examples

#endif
