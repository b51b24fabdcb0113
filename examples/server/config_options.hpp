// examples/server/config_options.hpp: the `server` section of rtnotify-server's --config file as command-line
// arguments, each named by where it came from.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_EXAMPLES_SERVER_CONFIG_OPTIONS_HPP
#define RTNOTIFY_EXAMPLES_SERVER_CONFIG_OPTIONS_HPP

#include <boost/json/value.hpp>

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify_examples {

/// Command-line arguments, and how an error message names each one.
struct named_arguments
{
    std::deque<std::string> storage;    ///< the text of the arguments that came from a file
    std::vector<std::string_view> args; ///< "--max-queue", "5", ...
    std::vector<std::string> names;     ///< "--max-queue", or "FILE: server.max-queue" for one from a file
    std::vector<bool> from_file;        ///< whether each argument came from a file

    /// Appends `arg` of the command line, which must outlive this (argv).
    void add(std::string_view arg)
    {
        args.push_back(arg);
        names.emplace_back(arg);
        from_file.push_back(false);
    }

    /// Appends a copy of `arg` from a file, named `name` in errors.
    void add_from_file(std::string_view arg, std::string name)
    {
        args.push_back(storage.emplace_back(arg));
        names.push_back(std::move(name));
        from_file.push_back(true);
    }
};

/** Appends the options of `config`'s `server` object (the JSON of `file`)
    to `out` as the command line would give them: each member is an option's
    name without its dashes; a string or a whole number is its value, a list
    repeats the option (`"listen": ["0.0.0.0:80", "[::]:80"]`), `true` gives
    a switch (`"quiet": true`) and `false` leaves it out. Errors name the
    file and the member's path. Nothing is appended when `config` has no
    `server`.
*/
inline std::optional<std::string> append_server_section(boost::json::value const& config, std::string const& file,
                                                        named_arguments& out)
{
    auto const* top = config.if_object();
    auto const* section = top ? top->if_contains("server") : nullptr;
    if(!section)
        return std::nullopt;
    if(!section->is_object())
        return file + ": server: must be an object whose members are rtnotify-server's options";
    for(auto const& [key, value] : section->get_object())
    {
        std::string const name = file + ": server." + std::string(key);
        if(key == "config" || key == "help" || key == "hash-password" || key.empty() || key.starts_with("-"))
            return name + ": not an option a configuration file can give (the names are those of --help, without "
                          "the dashes)";
        std::string const flag = "--" + std::string(key);
        auto add_value = [&](boost::json::value const& v) -> bool {
            if(v.is_string())
                out.add_from_file(std::string_view(v.get_string()), name);
            else if(v.is_int64())
                out.add_from_file(std::to_string(v.get_int64()), name);
            else if(v.is_uint64())
                out.add_from_file(std::to_string(v.get_uint64()), name);
            else
                return false;
            return true;
        };
        if(value.is_bool())
        {
            if(value.get_bool())
                out.add_from_file(flag, name);
            continue;
        }
        if(value.is_array())
        {
            for(auto const& item : value.get_array())
            {
                out.add_from_file(flag, name);
                if(!add_value(item))
                    return name + ": a list of strings or whole numbers";
            }
            continue;
        }
        out.add_from_file(flag, name);
        if(!add_value(value))
            return name + ": takes a string, a whole number, true or false, or a list";
    }
    return std::nullopt;
}

} // namespace rtnotify_examples

#endif
