// The JSONPath subset of SmartREST response templates.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_JSON_PATH_HPP
#define RTNOTIFY_SMARTREST_JSON_PATH_HPP

#include <rtnotify/smartrest/error.hpp>

#include <boost/json/value.hpp>
#include <boost/spirit/home/x3.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rtnotify::smartrest {

/** A JSONPath of the subset SmartREST response templates use.

    Grammar: an optional `$`, then segments `.name`, `[n]`, `['name']` or
    `["name"]`. A path that starts with a name is relative to `$`
    (`alarms.x` is `$.alarms.x`); the empty path is `$`. A name is any run
    of bytes other than `.`, `[`, `]`, `*`, `?`. Paths that select several
    values (`*`, `..`, slices, unions) and filters (`?`) are refused, as the
    platform refuses them.
*/
class json_path
{
public:
    /// One step: an object member or an array element.
    using segment = std::variant<std::string, std::uint64_t>;

    /// The path `$`.
    json_path() = default;

    /// The steps from the root.
    std::vector<segment> const& segments() const noexcept { return segments_; }

    /// The text the path was parsed from.
    std::string const& text() const noexcept { return text_; }

    /** The value the path selects in `root`, or null when it does not exist.

        The pointer stays valid while `root` is unchanged.
    */
    boost::json::value const* resolve(boost::json::value const& root) const noexcept
    {
        auto const* v = &root;
        for(auto const& s : segments_)
        {
            if(auto const* key = std::get_if<std::string>(&s))
            {
                auto const* obj = v->if_object();
                if(!obj)
                    return nullptr;
                v = obj->if_contains(*key);
            }
            else
            {
                auto const* arr = v->if_array();
                auto const i = std::get<std::uint64_t>(s);
                if(!arr || i >= arr->size())
                    return nullptr;
                v = &(*arr)[static_cast<std::size_t>(i)];
            }
            if(!v)
                return nullptr;
        }
        return v;
    }

    bool operator==(json_path const& o) const noexcept { return segments_ == o.segments_; }

private:
    friend result<json_path> parse_json_path(std::string_view text);

    std::vector<segment> segments_;
    std::string text_;
};

namespace detail::path {

namespace x3 = boost::spirit::x3;

struct sink_tag;

inline auto const push_key = [](auto& ctx) {
    x3::get<sink_tag>(ctx).get().emplace_back(std::string(x3::_attr(ctx).begin(), x3::_attr(ctx).end()));
};

inline auto const push_quoted = [](auto& ctx) {
    x3::get<sink_tag>(ctx).get().emplace_back(x3::_attr(ctx));
};

inline auto const push_index = [](auto& ctx) {
    x3::get<sink_tag>(ctx).get().emplace_back(std::uint64_t(x3::_attr(ctx)));
};

inline auto const name = x3::raw[+~x3::char_(".[]*?")];
inline auto const quoted_name = (x3::lit('\'') >> (*~x3::char_('\''))[push_quoted] >> '\'') |
                                (x3::lit('"') >> (*~x3::char_('"'))[push_quoted] >> '"');
inline auto const segment =
    ('.' >> name[push_key]) | ('[' >> x3::ulong_long[push_index] >> ']') | ('[' >> quoted_name >> ']');
inline auto const path = ((x3::lit('$') | name[push_key]) >> *segment) | x3::eps;

} // namespace detail::path

/// Parses a JSONPath of the supported subset; see `json_path`.
inline result<json_path> parse_json_path(std::string_view text)
{
    namespace x3 = boost::spirit::x3;
    if(text.find('?') != std::string_view::npos)
        return error::json_path_filter;
    if(text.find('*') != std::string_view::npos || text.find("..") != std::string_view::npos)
        return error::json_path_list;
    json_path p;
    p.text_ = text;
    auto first = text.begin();
    bool const ok =
        x3::parse(first, text.end(), x3::with<detail::path::sink_tag>(std::ref(p.segments_))[detail::path::path]);
    if(!ok || first != text.end())
    {
        // A bracket holding a slice or a union selects a list.
        auto const rest = text.substr(static_cast<std::size_t>(first - text.begin()));
        if(rest.starts_with("[") && rest.find_first_of(":,") < rest.find(']'))
            return error::json_path_list;
        return error::bad_json_path;
    }
    return p;
}

} // namespace rtnotify::smartrest

#endif
