// rtnotify-conformance: `${var}` substitution, captures and timing expressions.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_SUBSTITUTE_HPP
#define RTNOTIFY_CONFORMANCE_SUBSTITUTE_HPP

#include <boost/json.hpp>

#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify_conformance {

/// A case's variables: `bayeux` (the target's path) and what steps captured.
using variables = std::map<std::string, std::string, std::less<>>;

/// `text` with each `${name}` replaced by its variable; `${*}` and other
/// placeholders of match.hpp are no variables and stay. Empty with
/// `missing` set when a variable is not known.
inline std::optional<std::string> substitute(std::string_view text, variables const& vars, std::string* missing = nullptr)
{
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while(i < text.size())
    {
        auto const open = text.find("${", i);
        if(open == std::string_view::npos)
        {
            out.append(text.substr(i));
            break;
        }
        auto const close = text.find('}', open + 2);
        if(close == std::string_view::npos)
        {
            out.append(text.substr(i));
            break;
        }
        out.append(text.substr(i, open - i));
        auto const name = text.substr(open + 2, close - open - 2);
        bool const is_name = !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                                                  std::string_view::npos;
        if(!is_name)
            out.append(text.substr(open, close + 1 - open)); // a placeholder, not a variable
        else if(auto it = vars.find(name); it != vars.end())
            out.append(it->second);
        else
        {
            if(missing)
                *missing = std::string(name);
            return std::nullopt;
        }
        i = close + 1;
    }
    return out;
}

/// The value at `source` in a reply: `/json/pointer` into its JSON (strings
/// as they are, other values as JSON text), or `line:N` / `line:N:F` (1-based
/// line, 1-based comma-separated field) of its text. Empty when absent.
inline std::optional<std::string> capture(std::string_view source, std::string_view body, boost::json::value const* parsed)
{
    if(source.starts_with('/'))
    {
        if(!parsed)
            return std::nullopt;
        boost::system::error_code ec;
        auto const* v = parsed->find_pointer(source, ec);
        if(!v || ec)
            return std::nullopt;
        return v->is_string() ? std::string(v->as_string()) : boost::json::serialize(*v);
    }
    if(!source.starts_with("line:"))
        return std::nullopt;
    auto rest = source.substr(5);
    auto number = [&](std::size_t& n) {
        auto const [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
        if(ec != std::errc() || n == 0)
            return false;
        rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
        return true;
    };
    std::size_t line = 0, field = 0;
    if(!number(line))
        return std::nullopt;
    if(rest.starts_with(':'))
    {
        rest.remove_prefix(1);
        if(!number(field))
            return std::nullopt;
    }
    if(!rest.empty())
        return std::nullopt;
    auto const start = body.find_first_not_of(' '); // keep-alive spaces before the first line
    if(start == std::string_view::npos)
        return std::nullopt;
    body.remove_prefix(start);
    for(std::size_t l = 1; !body.empty(); ++l)
    {
        auto const nl = body.find('\n');
        auto text = body.substr(0, nl);
        if(text.ends_with('\r'))
            text.remove_suffix(1);
        if(l == line)
        {
            if(field == 0)
                return std::string(text);
            for(std::size_t f = 1;; ++f)
            {
                auto const comma = text.find(',');
                if(f == field)
                    return std::string(text.substr(0, comma));
                if(comma == std::string_view::npos)
                    return std::nullopt;
                text.remove_prefix(comma + 1);
            }
        }
        if(nl == std::string_view::npos)
            break;
        body.remove_prefix(nl + 1);
    }
    return std::nullopt;
}

/// A timing bound: a number of milliseconds, or `F*X` with X a number or
/// `${var}` (`0.8*${timeout}`). Empty when it cannot be read.
inline std::optional<double> milliseconds(std::string_view expr, variables const& vars)
{
    auto const text = substitute(expr, vars);
    if(!text)
        return std::nullopt;
    auto number = [](std::string_view s) -> std::optional<double> {
        double d = 0;
        auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
        if(ec != std::errc() || end != s.data() + s.size())
            return std::nullopt;
        return d;
    };
    std::string_view s = *text;
    if(auto const star = s.find('*'); star != std::string_view::npos)
    {
        auto const a = number(s.substr(0, star));
        auto const b = number(s.substr(star + 1));
        if(!a || !b)
            return std::nullopt;
        return *a * *b;
    }
    return number(s);
}

} // namespace rtnotify_conformance

#endif
