import { defineKitcfgCommand } from "../command.ts";
export default defineKitcfgCommand("unset", "todo", {}, async () => 0);
