# Compiles the prompt files prompts/*.md into the binary.
#
# skillgrad_embed_prompts(TARGET) adds a generated source to TARGET that defines
# sg::run::EmbeddedPrompts() (declared in src/run/prompt_library.h): one entry per
# prompts/*.md, name and full text. The source is regenerated when a prompt changes (a
# custom command runs this file in script mode); adding or removing a prompt file
# re-runs the configure step through the CONFIGURE_DEPENDS glob.

function(skillgrad_embed_prompts target)
  file(GLOB prompt_files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/prompts/*.md)
  set(out ${CMAKE_BINARY_DIR}/generated/embedded_prompts.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DPROMPTS_DIR=${CMAKE_SOURCE_DIR}/prompts -DOUT=${out}
            -P ${CMAKE_SOURCE_DIR}/cmake/EmbedPrompts.cmake
    DEPENDS ${prompt_files} ${CMAKE_SOURCE_DIR}/cmake/EmbedPrompts.cmake
    COMMENT "Embedding prompts/*.md"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND DEFINED OUT)
  file(GLOB prompt_files ${PROMPTS_DIR}/*.md)
  list(SORT prompt_files)
  set(delimiter "sgprompt")
  set(body "")
  foreach(file IN LISTS prompt_files)
    get_filename_component(name ${file} NAME)
    file(READ ${file} text)
    string(FIND "${text}" ")${delimiter}\"" clash)
    if(NOT clash EQUAL -1)
      message(FATAL_ERROR "${file} contains the raw-string delimiter )${delimiter}\"; reword it")
    endif()
    string(APPEND body "      {\"${name}\", R\"${delimiter}(${text})${delimiter}\"},\n")
  endforeach()
  file(WRITE ${OUT}.tmp
"// Generated from prompts/*.md by cmake/EmbedPrompts.cmake. Do not edit.
#include \"run/prompt_library.h\"

namespace sg::run {

const std::vector<EmbeddedPrompt>& EmbeddedPrompts() {
  static const std::vector<EmbeddedPrompt> prompts = {
${body}  };
  return prompts;
}

}  // namespace sg::run
")
  file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
  file(REMOVE ${OUT}.tmp)
endif()
