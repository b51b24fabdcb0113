// The `code:args:message` error field of Bayeux replies: parsing and formatting.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BAYEUX_ERROR_STRING_HPP
#define RTNOTIFY_BAYEUX_ERROR_STRING_HPP

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::bayeux {

/** The `error` field of a Bayeux reply: `code:args:message`.

    The spec's grammar is `code ":" args ":" message` with a three-digit code
    and comma-separated args (`403:xj3sjdsjdsjad,/foo/bar:Subscription denied`,
    `401::No client ID`). Real servers put arbitrary text in the message, so
    parsing splits at the first two colons only, and a string that does not
    fit is kept whole as `message` with no code.
*/
struct error_string
{
    std::optional<int> code;          ///< 100..999; empty for an unparsable string
    std::vector<std::string> args;    ///< may be empty
    std::string message;

    /// The wire form; without a code, the message alone.
    std::string to_string() const
    {
        if(!code)
            return message;
        std::string out = std::to_string(*code) + ':';
        for(std::size_t i = 0; i < args.size(); ++i)
        {
            if(i != 0)
                out += ',';
            out += args[i];
        }
        out += ':';
        out += message;
        return out;
    }

    /// Parses leniently; never fails.
    static error_string parse(std::string_view s)
    {
        error_string e;
        auto const c1 = s.find(':');
        auto const c2 = c1 == std::string_view::npos ? c1 : s.find(':', c1 + 1);
        bool const digits = c1 == 3 && s[0] >= '1' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
                            s[2] <= '9';
        if(!digits || c2 == std::string_view::npos)
        {
            e.message = s;
            return e;
        }
        e.code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
        auto args = s.substr(c1 + 1, c2 - c1 - 1);
        while(!args.empty())
        {
            auto const comma = args.find(',');
            e.args.emplace_back(args.substr(0, comma));
            if(comma == std::string_view::npos)
                break;
            args.remove_prefix(comma + 1);
            if(args.empty())
                e.args.emplace_back();
        }
        e.message = s.substr(c2 + 1);
        return e;
    }

    bool operator==(error_string const&) const = default;
};

/// `s` when it may appear in the args of an error string (alphanumerics and `-_./*!~()$@`), else empty.
inline std::string error_arg(std::string_view s)
{
    constexpr std::size_t max_arg = 128;
    bool const ok = s.size() <= max_arg && std::all_of(s.begin(), s.end(), [](char c) {
                        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                               std::string_view("-_./*!~()$@").find(c) != std::string_view::npos;
                    });
    return ok ? std::string(s) : std::string();
}

} // namespace rtnotify::bayeux

#endif
