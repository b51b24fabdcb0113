// rtnotify-conformance: structural JSON matching and SmartREST line matching.
// SPDX-License-Identifier: BSL-1.0
//
// A pattern is JSON. Objects match when every key of the pattern matches
// (other keys are allowed; `"${absent}"` requires a key to be missing).
// Arrays match as multisets: order is ignored and each pattern element takes
// its own element of the reply; a last element `"${...}"` allows more. A
// string that is wholly `${*}` matches any value, `${string}`, `${number}`,
// `${boolean}`, `${object}`, `${array}`, `${null}` a value of that type;
// any other string matches a string, where `${*}` stands for any text,
// `${re:REGEX}` for text matching REGEX (RE2; its braces must balance) and
// `${var}` for a variable.
// Numbers compare by value (1 matches 1.0), the rest exactly.
#ifndef RTNOTIFY_CONFORMANCE_MATCH_HPP
#define RTNOTIFY_CONFORMANCE_MATCH_HPP

#include "substitute.hpp"

#include <boost/json.hpp>
#include <re2/re2.h>

#include <optional>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify_conformance {

namespace detail {

/// `pattern` (a string pattern, see above) as an RE2 expression; empty with `why` set on an unknown variable.
inline std::optional<std::string> to_regex(std::string_view pattern, variables const& vars, std::string& why)
{
    std::string re;
    std::size_t i = 0;
    while(i < pattern.size())
    {
        auto const open = pattern.find("${", i);
        auto const literal = pattern.substr(i, open == std::string_view::npos ? std::string_view::npos : open - i);
        re += RE2::QuoteMeta(re2::StringPiece(literal.data(), literal.size()));
        if(open == std::string_view::npos)
            break;
        if(pattern.substr(open).starts_with("${re:"))
        {
            // the regex runs to the brace that balances `${` (its own `{n}` are balanced; `\{` is skipped)
            std::size_t close = open + 5;
            for(int depth = 1; close < pattern.size(); ++close)
            {
                if(pattern[close] == '\\')
                    ++close;
                else if(pattern[close] == '{')
                    ++depth;
                else if(pattern[close] == '}' && --depth == 0)
                    break;
            }
            if(close >= pattern.size())
            {
                why = "unterminated ${re:...}";
                return std::nullopt;
            }
            re += "(?:" + std::string(pattern.substr(open + 5, close - open - 5)) + ")";
            i = close + 1;
            continue;
        }
        auto const close = pattern.find('}', open);
        if(close == std::string_view::npos)
        {
            re += RE2::QuoteMeta(re2::StringPiece(pattern.data() + open, pattern.size() - open));
            break;
        }
        auto const name = pattern.substr(open + 2, close - open - 2);
        if(name == "*")
            re += ".*";
        else
        {
            auto it = vars.find(name);
            if(it == vars.end())
            {
                why = "variable ${" + std::string(name) + "} was never captured";
                return std::nullopt;
            }
            re += RE2::QuoteMeta(it->second);
        }
        i = close + 1;
    }
    return re;
}

/// `s` for a message: trailing line breaks dropped, cut at 300 characters.
inline std::string shorten(std::string s)
{
    while(!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    if(s.size() > 300)
        s = s.substr(0, 297) + "...";
    return s;
}

} // namespace detail

/// True when `text` matches the string pattern `pattern`; `why` tells a bad pattern.
inline bool match_text(std::string_view pattern, std::string_view text, variables const& vars, std::string& why)
{
    if(pattern.find("${") == std::string_view::npos)
        return pattern == text;
    auto const re = detail::to_regex(pattern, vars, why);
    if(!re)
        return false;
    RE2 compiled(*re, RE2::Quiet);
    if(!compiled.ok())
    {
        why = "bad pattern \"" + std::string(pattern) + "\": " + compiled.error();
        return false;
    }
    return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), compiled);
}

/// Where and how `actual` differs from `pattern`; empty when it matches.
inline std::optional<std::string> match_json(boost::json::value const& pattern, boost::json::value const& actual,
                                             variables const& vars, std::string const& path = "$")
{
    namespace json = boost::json;
    auto differ = [&](std::string const& what) {
        return path + ": " + what + ", got " + detail::shorten(json::serialize(actual));
    };
    if(pattern.is_string())
    {
        std::string_view const p = pattern.as_string();
        if(p == "${*}")
            return std::nullopt;
        static constexpr std::pair<std::string_view, json::kind> types[] = {
            {"${string}", json::kind::string}, {"${boolean}", json::kind::bool_}, {"${object}", json::kind::object},
            {"${array}", json::kind::array},   {"${null}", json::kind::null}};
        for(auto const& [name, k] : types)
            if(p == name)
                return actual.kind() == k ? std::nullopt : std::optional(differ("expected " + std::string(name.substr(2, name.size() - 3))));
        if(p == "${number}")
            return actual.is_number() ? std::nullopt : std::optional(differ("expected a number"));
        if(!actual.is_string())
            return differ("expected a string matching \"" + std::string(p) + "\"");
        std::string why;
        if(match_text(p, actual.as_string(), vars, why))
            return std::nullopt;
        return why.empty() ? differ("expected \"" + std::string(p) + "\"") : path + ": " + why;
    }
    if(pattern.is_number())
    {
        if(!actual.is_number() || actual.to_number<double>() != pattern.to_number<double>())
            return differ("expected " + json::serialize(pattern));
        return std::nullopt;
    }
    if(pattern.is_object())
    {
        if(!actual.is_object())
            return differ("expected an object");
        for(auto const& [k, p] : pattern.as_object())
        {
            auto const at = path + "." + std::string(k);
            auto const* a = actual.as_object().if_contains(k);
            if(p.is_string() && p.as_string() == "${absent}")
            {
                if(a)
                    return at + ": expected no such member, got " + detail::shorten(json::serialize(*a));
                continue;
            }
            if(!a)
                return at + ": missing (expected " + detail::shorten(json::serialize(p)) + ")";
            if(auto d = match_json(p, *a, vars, at))
                return d;
        }
        return std::nullopt;
    }
    if(pattern.is_array())
    {
        if(!actual.is_array())
            return differ("expected an array");
        auto const& want = pattern.as_array();
        auto const& got = actual.as_array();
        bool const more = !want.empty() && want.back().is_string() && want.back().as_string() == "${...}";
        std::size_t const n = want.size() - (more ? 1 : 0);
        // which reply element each pattern element matches
        std::vector<std::vector<bool>> fits(n, std::vector<bool>(got.size()));
        for(std::size_t i = 0; i < n; ++i)
            for(std::size_t j = 0; j < got.size(); ++j)
                fits[i][j] = !match_json(want[i], got[j], vars);
        std::vector<int> owner(got.size(), -1);
        // augmenting paths (Kuhn): a pairing of every pattern element with its own reply element
        std::vector<bool> seen;
        auto const pair_up = [&](auto&& self, std::size_t i) -> bool {
            for(std::size_t j = 0; j < got.size(); ++j)
                if(fits[i][j] && !seen[j])
                {
                    seen[j] = true;
                    if(owner[j] < 0 || self(self, static_cast<std::size_t>(owner[j])))
                    {
                        owner[j] = static_cast<int>(i);
                        return true;
                    }
                }
            return false;
        };
        for(std::size_t i = 0; i < n; ++i)
        {
            seen.assign(got.size(), false);
            if(pair_up(pair_up, i))
                continue;
            auto const at = path + "[" + std::to_string(i) + "]";
            if(got.size() == 1) // say why the only candidate does not fit
                if(auto d = match_json(want[i], got[0], vars, at))
                    return d;
            return at + ": no element of the reply matches " + detail::shorten(json::serialize(want[i])) + " (reply " +
                   detail::shorten(json::serialize(actual)) + ")";
        }
        if(!more && got.size() > n)
            for(std::size_t j = 0; j < got.size(); ++j)
                if(owner[j] < 0)
                    return path + ": unexpected element " + detail::shorten(json::serialize(got[j])) + " (expected " +
                           std::to_string(n) + " elements, got " + std::to_string(got.size()) + ")";
        return std::nullopt;
    }
    if(pattern != actual)
        return differ("expected " + json::serialize(pattern));
    return std::nullopt;
}

/// Where `actual` (an array) lacks elements matching `patterns` in this order (others may come between); empty when it has them.
inline std::optional<std::string> match_in_order(boost::json::array const& patterns, boost::json::value const& actual,
                                                 variables const& vars)
{
    if(!actual.is_array())
        return "in_order: expected an array, got " + detail::shorten(boost::json::serialize(actual));
    std::size_t k = 0;
    for(auto const& e : actual.as_array())
        if(k < patterns.size() && !match_json(patterns[k], e, vars))
            ++k;
    if(k == patterns.size())
        return std::nullopt;
    return "in_order: nothing matches " + detail::shorten(boost::json::serialize(patterns[k])) + " after the elements matching the " +
           std::to_string(k) + " before it (reply " + detail::shorten(boost::json::serialize(actual)) + ")";
}

/// The values of the header `name` (any case) in `head`, a status line and headers.
inline std::vector<std::string> header_values(std::string_view head, std::string_view name)
{
    std::vector<std::string> out;
    for(std::size_t at = head.find('\n'); at != std::string_view::npos && at + 1 < head.size();)
    {
        auto const end = head.find('\n', at + 1);
        auto line = head.substr(at + 1, end == std::string_view::npos ? std::string_view::npos : end - at - 1);
        at = end;
        if(line.ends_with('\r'))
            line.remove_suffix(1);
        auto const colon = line.find(':');
        if(colon != name.size())
            continue;
        bool same = true;
        for(std::size_t i = 0; i < colon && same; ++i)
            same = std::tolower(static_cast<unsigned char>(line[i])) == std::tolower(static_cast<unsigned char>(name[i]));
        if(!same)
            continue;
        auto value = line.substr(colon + 1);
        while(!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        out.emplace_back(value);
    }
    return out;
}

/// Where an element of `actual` (an array, else the value itself) matches
/// one of `patterns`; empty when none does.
inline std::optional<std::string> match_none_of(boost::json::array const& patterns, boost::json::value const& actual,
                                                variables const& vars)
{
    auto const one = boost::json::array{actual};
    for(auto const& e : actual.is_array() ? actual.as_array() : one)
        for(auto const& p : patterns)
            if(!match_json(p, e, vars))
                return "none_of: " + detail::shorten(boost::json::serialize(e)) + " matches " +
                       detail::shorten(boost::json::serialize(p)) + ", which must not come";
    return std::nullopt;
}

/// The lines of a SmartREST body: leading keep-alive spaces, `\r` and a final empty line dropped.
inline std::vector<std::string> body_lines(std::string_view body)
{
    std::vector<std::string> lines;
    auto const start = body.find_first_not_of(' ');
    if(start == std::string_view::npos)
        return lines;
    body.remove_prefix(start);
    while(!body.empty())
    {
        auto const nl = body.find('\n');
        auto line = body.substr(0, nl);
        if(line.ends_with('\r'))
            line.remove_suffix(1);
        lines.emplace_back(line);
        if(nl == std::string_view::npos)
            break;
        body.remove_prefix(nl + 1);
    }
    return lines;
}

/// Where `body`'s lines differ from `patterns` (in order; a last `${...}` allows more); empty when they match.
inline std::optional<std::string> match_rows(std::vector<std::string> const& patterns, std::string_view body,
                                             variables const& vars)
{
    auto const lines = body_lines(body);
    bool const more = !patterns.empty() && patterns.back() == "${...}";
    std::size_t const n = patterns.size() - (more ? 1 : 0);
    for(std::size_t i = 0; i < n; ++i)
    {
        auto const at = "line " + std::to_string(i + 1);
        if(i >= lines.size())
            return at + ": missing (expected \"" + patterns[i] + "\")";
        std::string why;
        if(!match_text(patterns[i], lines[i], vars, why))
            return at + ": " + (why.empty() ? "expected \"" + patterns[i] + "\", got \"" + detail::shorten(lines[i]) + "\"" : why);
    }
    if(!more && lines.size() > n)
        return "line " + std::to_string(n + 1) + ": unexpected \"" + detail::shorten(lines[n]) + "\"";
    return std::nullopt;
}

} // namespace rtnotify_conformance

#endif
