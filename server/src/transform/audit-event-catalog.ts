/**
 * ECS event.category / event.type for every Mattermost audit event name.
 *
 * Keys are the string values of the constants in Mattermost's server/public/model/audit_events.go,
 * plus the 5.x/6.x action names that Elastic's Mattermost integration categorizes. For those legacy
 * names the values are Elastic's own, so that documents built from the same record agree with the
 * integration's; where a modern name is spelled the same, Elastic's values apply to it as well.
 *
 * Every type is one ECS allows for each of the entry's categories (ECS expected_event_types).
 */

export type EcsCategory =
  | 'api' | 'authentication' | 'configuration' | 'database' | 'driver' | 'email' | 'file' | 'host'
  | 'iam' | 'intrusion_detection' | 'library' | 'malware' | 'network' | 'package' | 'process'
  | 'registry' | 'session' | 'threat' | 'vulnerability' | 'web';

export type EcsType =
  | 'access' | 'admin' | 'allowed' | 'change' | 'connection' | 'creation' | 'deletion' | 'denied'
  | 'end' | 'error' | 'group' | 'indicator' | 'info' | 'installation' | 'protocol' | 'start' | 'user';

export interface Categorization {
  readonly category: readonly EcsCategory[];
  readonly type: readonly EcsType[];
}

export const AUDIT_EVENT_CATALOG: Readonly<Record<string, Categorization>> = {
  // Sign-in and sign-out. `session` only where Mattermost opens or closes a session (an OAuth token
  // grant opens one for the app), so session starts count logins; redirects that merely begin an
  // OAuth flow are `info`.
  login: { category: ['authentication', 'session'], type: ['start'] },
  Logout: { category: ['authentication', 'session'], type: ['end'] },
  logout: { category: ['authentication', 'session'], type: ['end'] },
  loginWithDesktopToken: { category: ['authentication', 'session'], type: ['start'] },
  completeOAuth: { category: ['authentication', 'session'], type: ['start'] },
  completeSaml: { category: ['authentication', 'session'], type: ['start'] },
  loginWithOAuth: { category: ['authentication'], type: ['info'] },
  mobileLoginWithOAuth: { category: ['authentication'], type: ['info'] },
  signupWithOAuth: { category: ['authentication'], type: ['info'] },
  authorizeOAuthPage: { category: ['authentication'], type: ['info'] },
  getAccessToken: { category: ['authentication', 'session'], type: ['start'] },

  // Account recovery and e-mail verification are authentication factors: an attacker taking over an
  // account goes through them.
  sendPasswordReset: { category: ['authentication'], type: ['info'] },
  resetPassword: { category: ['authentication'], type: ['info'] },
  sendVerificationEmail: { category: ['authentication'], type: ['info'] },
  verifyUserEmail: { category: ['authentication'], type: ['info'] },

  // Sessions. Extending one renews it rather than opening a new login, hence `info`.
  revokeSession: { category: ['session'], type: ['end'] },
  revokeAllSessionsForUser: { category: ['session'], type: ['end'] },
  revokeAllSessionsAllUsers: { category: ['session'], type: ['end'] },
  extendSessionExpiry: { category: ['session'], type: ['info'] },
  attachDeviceId: { category: ['session'], type: ['info'] },

  // Users: anything that changes who an account is, what it may do or how it signs in. Deletion is
  // kept for removal of the account itself, never for removal of something belonging to it.
  createUser: { category: ['iam'], type: ['user', 'creation'] },
  deleteUser: { category: ['iam'], type: ['user', 'deletion'] },
  localDeleteUser: { category: ['iam'], type: ['user', 'deletion'] },
  localPermanentDeleteAllUsers: { category: ['iam'], type: ['user', 'deletion'] },
  patchUser: { category: ['iam'], type: ['user', 'change'] },
  updateUser: { category: ['iam'], type: ['user', 'change'] },
  updateUserActive: { category: ['iam'], type: ['user', 'change'] },
  updateUserRoles: { category: ['iam'], type: ['user', 'change'] },
  updateUserAuth: { category: ['iam'], type: ['user', 'change'] },
  updateUserMfa: { category: ['iam'], type: ['user', 'change'] },
  updatePassword: { category: ['iam'], type: ['user', 'change'] },
  resetPasswordFailedAttempts: { category: ['iam'], type: ['user', 'change'] },
  promoteGuestToUser: { category: ['iam'], type: ['user', 'change'] },
  demoteUserToGuest: { category: ['iam'], type: ['user', 'change'] },
  switchAccountType: { category: ['iam'], type: ['user', 'change'] },
  migrateAuthToLdap: { category: ['iam'], type: ['user', 'change'] },
  migrateAuthToSaml: { category: ['iam'], type: ['user', 'change'] },
  verifyUserEmailWithoutToken: { category: ['iam'], type: ['user', 'change'] },
  setProfileImage: { category: ['iam'], type: ['user', 'change'] },
  setDefaultProfileImage: { category: ['iam'], type: ['user', 'change'] },
  updatePreferences: { category: ['iam'], type: ['user', 'change'] },
  deletePreferences: { category: ['iam'], type: ['user', 'change'] },
  saveUserTermsOfService: { category: ['iam'], type: ['user', 'change'] },
  patchCPAValues: { category: ['iam'], type: ['user', 'change'] },

  // Personal access tokens are credentials, not users: no `user` type, so rules on account
  // creation/deletion do not fire on them.
  createUserAccessToken: { category: ['iam'], type: ['creation'] },
  enableUserAccessToken: { category: ['iam'], type: ['change'] },
  disableUserAccessToken: { category: ['iam'], type: ['change'] },
  revokeUserAccessToken: { category: ['iam'], type: ['deletion'] },

  // Bots are user accounts in Mattermost, and converting between the two changes an identity.
  createBot: { category: ['iam'], type: ['user', 'creation'] },
  patchBot: { category: ['iam'], type: ['user', 'change'] },
  updateBotActive: { category: ['iam'], type: ['user', 'change'] },
  assignBot: { category: ['iam'], type: ['user', 'change'] },
  convertBotToUser: { category: ['iam'], type: ['user', 'change'] },
  convertUserToBot: { category: ['iam'], type: ['user', 'change'] },

  // OAuth: apps Mattermost serves as a provider, and outgoing connections whose client credentials
  // it stores. A user's grant to an app is an access decision on the user's account.
  createOAuthApp: { category: ['iam'], type: ['creation'] },
  registerOAuthClient: { category: ['iam'], type: ['creation'] },
  updateOAuthApp: { category: ['iam'], type: ['change'] },
  regenerateOAuthAppSecret: { category: ['iam'], type: ['change'] },
  deleteOAuthApp: { category: ['iam'], type: ['deletion'] },
  authorizeOAuthApp: { category: ['iam'], type: ['user', 'change'] },
  deauthorizeOAuthApp: { category: ['iam'], type: ['user', 'change'] },
  createOutgoingOauthConnection: { category: ['iam'], type: ['creation'] },
  updateOutgoingOAuthConnection: { category: ['iam'], type: ['change'] },
  deleteOutgoingOAuthConnection: { category: ['iam'], type: ['deletion'] },
  validateOutgoingOAuthConnectionCredentials: { category: ['iam'], type: ['info'] },

  // Teams as membership containers: joining, leaving and invitations decide who can see a team's
  // channels.
  createTeam: { category: ['iam'], type: ['group', 'creation'] },
  localCreateTeam: { category: ['iam'], type: ['group', 'creation'] },
  deleteTeam: { category: ['iam'], type: ['group', 'deletion'] },
  localDeleteTeam: { category: ['iam'], type: ['group', 'deletion'] },
  restoreTeam: { category: ['iam'], type: ['group', 'change'] },
  patchTeam: { category: ['iam'], type: ['group', 'change'] },
  updateTeam: { category: ['iam'], type: ['group', 'change'] },
  updateTeamPrivacy: { category: ['iam'], type: ['group', 'change'] },
  updateTeamScheme: { category: ['iam'], type: ['group', 'change'] },
  setTeamIcon: { category: ['iam'], type: ['group', 'change'] },
  removeTeamIcon: { category: ['iam'], type: ['group', 'change'] },
  addTeamMember: { category: ['iam'], type: ['group', 'change'] },
  addTeamMembers: { category: ['iam'], type: ['group', 'change'] },
  addUserToTeamFromInvite: { category: ['iam'], type: ['group', 'change'] },
  removeTeamMember: { category: ['iam'], type: ['group', 'change'] },
  inviteUsersToTeam: { category: ['iam'], type: ['group', 'change'] },
  localInviteUsersToTeam: { category: ['iam'], type: ['group', 'change'] },
  inviteGuestsToChannels: { category: ['iam'], type: ['group', 'change'] },
  invalidateAllEmailInvites: { category: ['iam'], type: ['group', 'change'] },
  regenerateTeamInviteId: { category: ['iam'], type: ['group', 'change'] },

  // A member's role inside a team or channel is a privilege of that user, like a system role.
  updateTeamMemberRoles: { category: ['iam'], type: ['user', 'change'] },
  updateTeamMemberSchemeRoles: { category: ['iam'], type: ['user', 'change'] },
  updateChannelMemberRoles: { category: ['iam'], type: ['user', 'change'] },
  updateChannelMemberSchemeRoles: { category: ['iam'], type: ['user', 'change'] },

  // Groups and their syncables (the teams and channels a group's members are put into).
  createGroup: { category: ['iam'], type: ['group', 'creation'] },
  deleteGroup: { category: ['iam'], type: ['group', 'deletion'] },
  restoreGroup: { category: ['iam'], type: ['group', 'change'] },
  patchGroup: { category: ['iam'], type: ['group', 'change'] },
  addGroupMembers: { category: ['iam'], type: ['group', 'change'] },
  deleteGroupMembers: { category: ['iam'], type: ['group', 'change'] },
  linkGroupSyncable: { category: ['iam'], type: ['group', 'change'] },
  unlinkGroupSyncable: { category: ['iam'], type: ['group', 'change'] },
  patchGroupSyncable: { category: ['iam'], type: ['group', 'change'] },
  addUserToGroupSyncables: { category: ['iam'], type: ['group', 'change'] },

  // LDAP: synchronisation and group links change users and memberships; certificates are server
  // configuration.
  syncLdap: { category: ['iam'], type: ['user', 'group', 'change'] },
  idMigrateLdap: { category: ['iam'], type: ['user', 'change'] },
  linkLdapGroup: { category: ['iam'], type: ['group', 'change'] },
  unlinkLdapGroup: { category: ['iam'], type: ['group', 'change'] },
  addLdapPublicCertificate: { category: ['configuration'], type: ['creation'] },
  addLdapPrivateCertificate: { category: ['configuration'], type: ['creation'] },
  removeLdapPublicCertificate: { category: ['configuration'], type: ['deletion'] },
  removeLdapPrivateCertificate: { category: ['configuration'], type: ['deletion'] },

  // SAML certificates (the sign-in itself is completeSaml, above).
  addSamlIdpCertificate: { category: ['configuration'], type: ['creation'] },
  addSamlPublicCertificate: { category: ['configuration'], type: ['creation'] },
  addSamlPrivateCertificate: { category: ['configuration'], type: ['creation'] },
  removeSamlIdpCertificate: { category: ['configuration'], type: ['deletion'] },
  removeSamlPublicCertificate: { category: ['configuration'], type: ['deletion'] },
  removeSamlPrivateCertificate: { category: ['configuration'], type: ['deletion'] },

  // Roles, schemes and channel moderation all rewrite permissions.
  patchRole: { category: ['iam'], type: ['admin', 'change'] },
  createScheme: { category: ['iam'], type: ['admin', 'creation'] },
  patchScheme: { category: ['iam'], type: ['admin', 'change'] },
  deleteScheme: { category: ['iam'], type: ['admin', 'deletion'] },
  updateChannelScheme: { category: ['iam'], type: ['admin', 'change'] },
  patchChannelModerations: { category: ['iam'], type: ['admin', 'change'] },

  // Attribute-based access control policies, system-wide and team-scoped.
  createAccessControlPolicy: { category: ['iam'], type: ['admin', 'creation'] },
  deleteAccessControlPolicy: { category: ['iam'], type: ['admin', 'deletion'] },
  assignAccessPolicy: { category: ['iam'], type: ['admin', 'change'] },
  unassignAccessPolicy: { category: ['iam'], type: ['admin', 'change'] },
  updateActiveStatus: { category: ['iam'], type: ['admin', 'change'] },
  setActiveStatus: { category: ['iam'], type: ['admin', 'change'] },
  createTeamAccessPolicy: { category: ['iam'], type: ['admin', 'creation'] },
  updateTeamAccessPolicy: { category: ['iam'], type: ['admin', 'change'] },
  deleteTeamAccessPolicy: { category: ['iam'], type: ['admin', 'deletion'] },
  assignTeamAccessPolicy: { category: ['iam'], type: ['admin', 'change'] },
  unassignTeamAccessPolicy: { category: ['iam'], type: ['admin', 'change'] },
  triggerTeamPolicySync: { category: ['iam'], type: ['admin', 'change'] },

  // IP filtering is a firewall setting of the workspace; ECS network has no `change` type.
  applyIPFilters: { category: ['configuration'], type: ['change'] },

  // Channels. Elastic's integration files channel actions under configuration; membership included.
  createChannel: { category: ['configuration'], type: ['creation'] },
  localCreateChannel: { category: ['configuration'], type: ['creation'] },
  createDirectChannel: { category: ['configuration'], type: ['creation'] },
  createGroupChannel: { category: ['configuration'], type: ['creation'] },
  convertGroupMessageToChannel: { category: ['configuration'], type: ['change'] },
  convertChannelToPrivate: { category: ['configuration'], type: ['change'] },
  deleteChannel: { category: ['configuration'], type: ['deletion'] },
  localDeleteChannel: { category: ['configuration'], type: ['deletion'] },
  restoreChannel: { category: ['configuration'], type: ['change'] },
  localRestoreChannel: { category: ['configuration'], type: ['change'] },
  patchChannel: { category: ['configuration'], type: ['change'] },
  localPatchChannel: { category: ['configuration'], type: ['change'] },
  updateChannel: { category: ['configuration'], type: ['change'] },
  updateChannelPrivacy: { category: ['configuration'], type: ['change'] },
  localUpdateChannelPrivacy: { category: ['configuration'], type: ['change'] },
  moveChannel: { category: ['configuration'], type: ['change'] },
  localMoveChannel: { category: ['configuration'], type: ['change'] },
  addChannelMember: { category: ['configuration'], type: ['change'] },
  localAddChannelMember: { category: ['configuration'], type: ['change'] },
  removeChannelMember: { category: ['configuration'], type: ['change'] },
  localRemoveChannelMember: { category: ['configuration'], type: ['change'] },
  setChannelMembers: { category: ['configuration'], type: ['change'] },
  updateChannelMemberNotifyProps: { category: ['configuration'], type: ['change'] },
  updateChannelMemberAutotranslation: { category: ['configuration'], type: ['change'] },
  getPinnedPosts: { category: ['configuration'], type: ['access'] },

  // Channel bookmarks.
  createChannelBookmark: { category: ['configuration'], type: ['creation'] },
  updateChannelBookmark: { category: ['configuration'], type: ['change'] },
  updateChannelBookmarkSortOrder: { category: ['configuration'], type: ['change'] },
  deleteChannelBookmark: { category: ['configuration'], type: ['deletion'] },
  listChannelBookmarksForChannel: { category: ['configuration'], type: ['info'] },

  // Channel views.
  createView: { category: ['configuration'], type: ['creation'] },
  updateView: { category: ['configuration'], type: ['change'] },
  updateViewSortOrder: { category: ['configuration'], type: ['change'] },
  deleteView: { category: ['configuration'], type: ['deletion'] },
  getView: { category: ['configuration'], type: ['info'] },
  listViewsForChannel: { category: ['configuration'], type: ['info'] },
  getPostsForView: { category: ['configuration'], type: ['access'] },

  // Sidebar channel categories, per user.
  createCategoryForTeamForUser: { category: ['configuration'], type: ['creation'] },
  updateCategoryForTeamForUser: { category: ['configuration'], type: ['change'] },
  updateCategoriesForTeamForUser: { category: ['configuration'], type: ['change'] },
  updateCategoryOrderForTeamForUser: { category: ['configuration'], type: ['change'] },
  deleteCategoryForTeamForUser: { category: ['configuration'], type: ['deletion'] },

  // Posts. Reading message content is `access` rather than `info`, so bulk reading stands out from
  // metadata lookups.
  createPost: { category: ['configuration'], type: ['creation'] },
  createEphemeralPost: { category: ['configuration'], type: ['creation'] },
  websocketPost: { category: ['configuration'], type: ['creation'] },
  patchPost: { category: ['configuration'], type: ['change'] },
  updatePost: { category: ['configuration'], type: ['change'] },
  restorePostVersion: { category: ['configuration'], type: ['change'] },
  saveIsPinnedPost: { category: ['configuration'], type: ['change'] },
  moveThread: { category: ['configuration'], type: ['change'] },
  deletePost: { category: ['configuration'], type: ['deletion'] },
  localDeletePost: { category: ['configuration'], type: ['deletion'] },
  burnPost: { category: ['configuration'], type: ['deletion'] },
  getPost: { category: ['configuration'], type: ['access'] },
  getPostThread: { category: ['configuration'], type: ['access'] },
  getPostsByIds: { category: ['configuration'], type: ['access'] },
  getPostsForChannel: { category: ['configuration'], type: ['access'] },
  getPostsForChannelAroundLastUnread: { category: ['configuration'], type: ['access'] },
  getEditHistoryForPost: { category: ['configuration'], type: ['access'] },
  getFlaggedPosts: { category: ['configuration'], type: ['access'] },
  getThreadForUser: { category: ['configuration'], type: ['access'] },
  searchPosts: { category: ['configuration'], type: ['access'] },
  revealPost: { category: ['configuration'], type: ['access'] },
  notificationAck: { category: ['configuration'], type: ['info'] },

  // Scheduled posts.
  createSchedulePost: { category: ['configuration'], type: ['creation'] },
  updateScheduledPost: { category: ['configuration'], type: ['change'] },
  deleteScheduledPost: { category: ['configuration'], type: ['deletion'] },

  // Threads and read state.
  followThreadByUser: { category: ['configuration'], type: ['change'] },
  unfollowThreadByUser: { category: ['configuration'], type: ['change'] },
  setUnreadThreadByPostId: { category: ['configuration'], type: ['change'] },
  updateReadStateThreadByUser: { category: ['configuration'], type: ['change'] },
  updateReadStateAllThreadsByUser: { category: ['configuration'], type: ['change'] },
  markAllMessagesRead: { category: ['configuration'], type: ['change'] },
  markFullTeamRead: { category: ['configuration'], type: ['change'] },

  // Recaps (AI summaries of channel content).
  createRecap: { category: ['configuration'], type: ['creation'] },
  regenerateRecap: { category: ['configuration'], type: ['change'] },
  markRecapAsRead: { category: ['configuration'], type: ['change'] },
  markRecapsAsViewed: { category: ['configuration'], type: ['change'] },
  deleteRecap: { category: ['configuration'], type: ['deletion'] },
  getRecap: { category: ['configuration'], type: ['access'] },
  getRecaps: { category: ['configuration'], type: ['info'] },

  // Content flagging and review.
  flagPost: { category: ['configuration'], type: ['creation'] },
  keepFlaggedPost: { category: ['configuration'], type: ['change'] },
  setFlaggedPostReviewer: { category: ['configuration'], type: ['change'] },
  updateContentFlaggingConfig: { category: ['configuration'], type: ['change'] },
  permanentlyRemoveFlaggedPost: { category: ['configuration'], type: ['deletion'] },
  getFlaggedPost: { category: ['configuration'], type: ['access'] },

  // Custom emojis.
  createEmoji: { category: ['configuration'], type: ['creation'] },
  deleteEmoji: { category: ['configuration'], type: ['deletion'] },

  // Slash commands. Running one is a call into an integration, not a change to it.
  createCommand: { category: ['configuration'], type: ['creation'] },
  localCreateCommand: { category: ['configuration'], type: ['creation'] },
  updateCommand: { category: ['configuration'], type: ['change'] },
  moveCommand: { category: ['configuration'], type: ['change'] },
  regenCommandToken: { category: ['configuration'], type: ['change'] },
  deleteCommand: { category: ['configuration'], type: ['deletion'] },
  executeCommand: { category: ['api'], type: ['access'] },

  // Webhooks.
  createIncomingHook: { category: ['configuration'], type: ['creation'] },
  localCreateIncomingHook: { category: ['configuration'], type: ['creation'] },
  createOutgoingHook: { category: ['configuration'], type: ['creation'] },
  updateIncomingHook: { category: ['configuration'], type: ['change'] },
  updateOutgoingHook: { category: ['configuration'], type: ['change'] },
  regenOutgoingHookToken: { category: ['configuration'], type: ['change'] },
  deleteIncomingHook: { category: ['configuration'], type: ['deletion'] },
  deleteOutgoingHook: { category: ['configuration'], type: ['deletion'] },
  getIncomingHook: { category: ['configuration'], type: ['info'] },
  getOutgoingHook: { category: ['configuration'], type: ['info'] },

  // Server configuration.
  getConfig: { category: ['configuration'], type: ['info'] },
  localGetConfig: { category: ['configuration'], type: ['info'] },
  localGetClientConfig: { category: ['configuration'], type: ['info'] },
  updateConfig: { category: ['configuration'], type: ['change'] },
  localUpdateConfig: { category: ['configuration'], type: ['change'] },
  patchConfig: { category: ['configuration'], type: ['change'] },
  localPatchConfig: { category: ['configuration'], type: ['change'] },
  configReload: { category: ['configuration'], type: ['change'] },
  migrateConfig: { category: ['configuration'], type: ['change'] },

  // Custom profile attribute and property field definitions (values a user holds are under users).
  createCPAField: { category: ['configuration'], type: ['creation'] },
  patchCPAField: { category: ['configuration'], type: ['change'] },
  deleteCPAField: { category: ['configuration'], type: ['deletion'] },
  createPropertyField: { category: ['configuration'], type: ['creation'] },
  patchPropertyField: { category: ['configuration'], type: ['change'] },
  deletePropertyField: { category: ['configuration'], type: ['deletion'] },
  getPropertyFields: { category: ['configuration'], type: ['info'] },
  getPropertyValues: { category: ['configuration'], type: ['info'] },
  patchPropertyValues: { category: ['configuration'], type: ['change'] },

  // Branding.
  uploadBrandImage: { category: ['configuration'], type: ['change'] },
  deleteBrandImage: { category: ['configuration'], type: ['deletion'] },

  // Licensing.
  addLicense: { category: ['configuration'], type: ['creation'] },
  localAddLicense: { category: ['configuration'], type: ['creation'] },
  requestTrialLicense: { category: ['configuration'], type: ['creation'] },
  removeLicense: { category: ['configuration'], type: ['deletion'] },
  localRemoveLicense: { category: ['configuration'], type: ['deletion'] },

  // Terms of service (a user's acceptance is under users).
  createTermsOfService: { category: ['configuration'], type: ['creation'] },

  // Plugins. Installing one puts third-party code on the server, so installs and removals are
  // software `package` events; enabling and disabling flip a config setting.
  installPluginFromURL: { category: ['package'], type: ['installation'] },
  installMarketplacePlugin: { category: ['package'], type: ['installation'] },
  uploadPlugin: { category: ['package'], type: ['installation'] },
  removePlugin: { category: ['package'], type: ['deletion'] },
  enablePlugin: { category: ['configuration'], type: ['change'] },
  disablePlugin: { category: ['configuration'], type: ['change'] },
  getFirstAdminVisitMarketplaceStatus: { category: ['configuration'], type: ['info'] },
  setFirstAdminVisitMarketplaceStatus: { category: ['configuration'], type: ['change'] },

  // Audit log forwarding. Reading the audit trail is `access`: it is sensitive in itself.
  addAuditLogCertificate: { category: ['configuration'], type: ['creation'] },
  removeAuditLogCertificate: { category: ['configuration'], type: ['deletion'] },
  getAudits: { category: ['configuration'], type: ['access'] },
  getUserAudits: { category: ['configuration'], type: ['access'] },

  // Compliance reports. Downloading one takes message content off the server.
  createComplianceReport: { category: ['configuration'], type: ['creation'] },
  getComplianceReport: { category: ['configuration'], type: ['info'] },
  getComplianceReports: { category: ['configuration'], type: ['info'] },
  downloadComplianceReport: { category: ['file'], type: ['access'] },

  // Data retention policies.
  createPolicy: { category: ['configuration'], type: ['creation'] },
  patchPolicy: { category: ['configuration'], type: ['change'] },
  deletePolicy: { category: ['configuration'], type: ['deletion'] },
  addChannelsToPolicy: { category: ['configuration'], type: ['change'] },
  addTeamsToPolicy: { category: ['configuration'], type: ['change'] },
  removeChannelsFromPolicy: { category: ['configuration'], type: ['change'] },
  removeTeamsFromPolicy: { category: ['configuration'], type: ['change'] },

  // Exports: scheduling and running are jobs; the exported file itself is a file.
  bulkExport: { category: ['configuration'], type: ['creation'] },
  scheduleExport: { category: ['configuration'], type: ['creation'] },
  generatePresignURLExport: { category: ['file'], type: ['access'] },
  deleteExport: { category: ['file'], type: ['deletion'] },

  // Imports.
  bulkImport: { category: ['configuration'], type: ['creation'] },
  slackImport: { category: ['configuration'], type: ['creation'] },
  importTeam: { category: ['configuration'], type: ['creation'] },
  deleteImport: { category: ['file'], type: ['deletion'] },

  // Jobs. The job server is a separate process started from the CLI.
  createJob: { category: ['configuration'], type: ['creation'] },
  cancelJob: { category: ['configuration'], type: ['change'] },
  updateJobStatus: { category: ['configuration'], type: ['change'] },
  jobServer: { category: ['process'], type: ['start'] },

  // Files and attachments.
  uploadFileSimple: { category: ['file'], type: ['creation'] },
  uploadFileMultipart: { category: ['file'], type: ['creation'] },
  uploadFileMultipartLegacy: { category: ['file'], type: ['creation'] },
  createUpload: { category: ['file'], type: ['creation'] },
  uploadData: { category: ['file'], type: ['creation'] },
  getFile: { category: ['file'], type: ['access'] },
  getFileLink: { category: ['file'], type: ['access'] },
  getFileThumbnail: { category: ['file'], type: ['access'] },
  getFilePreview: { category: ['file'], type: ['access'] },
  getFileInfo: { category: ['file'], type: ['info'] },
  getFileInfosForPost: { category: ['file'], type: ['info'] },
  searchFiles: { category: ['file'], type: ['info'] },

  // Shared channels with remote clusters. Messages a remote cluster sends arrive as inter-server API
  // calls.
  createRemoteCluster: { category: ['configuration'], type: ['creation'] },
  generateRemoteClusterInvite: { category: ['configuration'], type: ['creation'] },
  remoteClusterAcceptInvite: { category: ['configuration'], type: ['creation'] },
  patchRemoteCluster: { category: ['configuration'], type: ['change'] },
  inviteRemoteClusterToChannel: { category: ['configuration'], type: ['change'] },
  uninviteRemoteClusterToChannel: { category: ['configuration'], type: ['change'] },
  deleteRemoteCluster: { category: ['configuration'], type: ['deletion'] },
  remoteClusterAcceptMessage: { category: ['api'], type: ['access'] },
  uploadRemoteData: { category: ['file'], type: ['creation'] },
  remoteUploadProfileImage: { category: ['iam'], type: ['user', 'change'] },

  // Search indexes are a data store: purging one deletes searchable data.
  purgeBleveIndexes: { category: ['database'], type: ['change'] },
  purgeElasticsearchIndexes: { category: ['database'], type: ['change'] },

  // Server administration. Logs and support packets leave the server as files; a restart ends and
  // starts the server process; an edition upgrade replaces the installed software.
  restartServer: { category: ['process'], type: ['end', 'start'] },
  upgradeToEnterprise: { category: ['package'], type: ['installation'] },
  databaseRecycle: { category: ['database'], type: ['change'] },
  getAppliedSchemaMigrations: { category: ['database'], type: ['info'] },
  localCheckIntegrity: { category: ['database'], type: ['info'] },
  getLogs: { category: ['file'], type: ['access'] },
  queryLogs: { category: ['file'], type: ['access'] },
  downloadLogs: { category: ['file'], type: ['access'] },
  generateSupportPacket: { category: ['file'], type: ['creation'] },
  setServerBusy: { category: ['configuration'], type: ['change'] },
  clearServerBusy: { category: ['configuration'], type: ['change'] },
  invalidateCaches: { category: ['configuration'], type: ['change'] },
  completeOnboarding: { category: ['configuration'], type: ['change'] },
  getOnboarding: { category: ['configuration'], type: ['info'] },
  updateViewedProductNotices: { category: ['configuration'], type: ['change'] },
};
